import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { dialectOf } from '../dialect';

/**
 * The satisfaction rollup summed over each region's subtree (src/analytics/rollups): a
 * county-wide trend read ~2M per-village day rows at demo ×100; this table gives it one row
 * per day. Forgets the v1 rollup state, so start-up (or the bench) rebuilds both tables.
 */
export class CreateSubtreeRollup1764000300000 implements MigrationInterface {
  name = 'CreateSubtreeRollup1764000300000';

  async up(q: QueryRunner): Promise<void> {
    const bin = dialectOf(q.connection).idColumnOptions;
    await q.createTable(
      new Table({
        name: 'rollup_satisfaction_subtree_daily',
        columns: [
          // Local date in rollup_state.zone; region_id is any region, its rows summed over its subtree.
          { name: 'region_id', type: 'varchar', length: '64', isPrimary: true, ...bin },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'responses', type: 'int', isNullable: false },
          { name: 'score_sum', type: 'int', isNullable: false },
          { name: 'satisfied', type: 'int', isNullable: false },
          { name: 'dissatisfied', type: 'int', isNullable: false },
        ],
      }),
    );
    await q.createIndex('rollup_satisfaction_subtree_daily', new TableIndex({ name: 'ix_rollup_sat_subtree_day', columnNames: ['day', 'region_id'] }));
    await q.query("DELETE FROM rollup_state WHERE name = 'satisfaction_daily'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rollup_satisfaction_subtree_daily');
    await q.query("DELETE FROM rollup_state WHERE name = 'satisfaction_daily.v2'");
  }
}
