import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The paired-coverage rollup knows a pairing's first and last month, not its days: a range that
 * ends inside a month (a dashboard's "up to today") is answered from it only when no pairing
 * starts after the range's last day in that month, or ends on or after it before the month's
 * last day. These two indexes make that check two index probes instead of a scan of the pairings.
 */
export class AddPairingDayIndexes1765300000000 implements MigrationInterface {
  name = 'AddPairingDayIndexes1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('pairings', new TableIndex({ name: 'idx_pairings_started', columnNames: ['started_on'] }));
    await q.createIndex('pairings', new TableIndex({ name: 'idx_pairings_ended', columnNames: ['ended_on'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('pairings', 'idx_pairings_ended');
    await q.dropIndex('pairings', 'idx_pairings_started');
  }
}
