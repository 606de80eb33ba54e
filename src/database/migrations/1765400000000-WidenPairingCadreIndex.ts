import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A cadre's pairings by first day and last day: the pairings active on a day by cadre (a
 * scorecard's year, PAIRED_COVERAGE by CADRE over one bucket) are then read from this index
 * alone, in cadre order, with no row of the table looked up for its last day. It replaces
 * (cadre, first day), created first: MySQL keeps an index under the cadre foreign key throughout.
 */
export class WidenPairingCadreIndex1765400000000 implements MigrationInterface {
  name = 'WidenPairingCadreIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('pairings', new TableIndex({ name: 'idx_pairings_cadre_span', columnNames: ['cadre_id', 'started_on', 'ended_on'] }));
    await q.dropIndex('pairings', 'idx_pairings_cadre');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('pairings', new TableIndex({ name: 'idx_pairings_cadre', columnNames: ['cadre_id', 'started_on'] }));
    await q.dropIndex('pairings', 'idx_pairings_cadre_span');
  }
}
