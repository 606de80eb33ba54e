import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { dialectOf } from '../dialect';

/**
 * The daily visits rollup (src/analytics/rollups/visits-rollup.ts): own rows per region and
 * local day, and the same summed over each region's subtree. Built at start-up (or by the bench).
 */
export class CreateVisitsRollup1764000500000 implements MigrationInterface {
  name = 'CreateVisitsRollup1764000500000';

  async up(q: QueryRunner): Promise<void> {
    const bin = dialectOf(q.connection).idColumnOptions;
    const parts = [
      { name: 'visits', type: 'int', isNullable: false },
      { name: 'stay_days', type: 'int', isNullable: false },
    ];
    await q.createTable(
      new Table({
        name: 'rollup_visits_daily',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'region_id', type: 'varchar', length: '64', isPrimary: true, ...bin },
          ...parts,
        ],
      }),
    );
    await q.createIndex('rollup_visits_daily', new TableIndex({ name: 'ix_rollup_visits_region_day', columnNames: ['region_id', 'day'] }));
    await q.createTable(
      new Table({
        name: 'rollup_visits_subtree_daily',
        columns: [
          { name: 'region_id', type: 'varchar', length: '64', isPrimary: true, ...bin },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          ...parts,
        ],
      }),
    );
    await q.createIndex('rollup_visits_subtree_daily', new TableIndex({ name: 'ix_rollup_visits_subtree_day', columnNames: ['day', 'region_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rollup_visits_subtree_daily');
    await q.dropTable('rollup_visits_daily');
    await q.query("DELETE FROM rollup_state WHERE name = 'visits_daily.v1'");
  }
}
