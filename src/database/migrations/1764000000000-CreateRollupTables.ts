import { dialectOf } from '../dialect';
import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Daily per-region rollups of survey responses (additive parts only) and the state row that
 * says for which reporting zone they were built; see src/analytics/rollups/.
 */
export class CreateRollupTables1764000000000 implements MigrationInterface {
  name = 'CreateRollupTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // Region ids compare case-sensitively (utf8mb4_bin) like every id column on MySQL/MariaDB.
    const bin = dialectOf(q.connection).idColumnOptions;
    await q.createTable(
      new Table({
        name: 'rollup_satisfaction_daily',
        columns: [
          // Local date in rollup_state.zone; region_id is the response's own region (any level).
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'region_id', type: 'varchar', length: '64', isPrimary: true, ...bin },
          { name: 'responses', type: 'int', isNullable: false },
          { name: 'score_sum', type: 'int', isNullable: false },
          { name: 'satisfied', type: 'int', isNullable: false },
          { name: 'dissatisfied', type: 'int', isNullable: false },
        ],
      }),
    );
    await q.createIndex('rollup_satisfaction_daily', new TableIndex({ name: 'ix_rollup_sat_region_day', columnNames: ['region_id', 'day'] }));
    await q.createTable(
      new Table({
        name: 'rollup_state',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'zone', type: 'varchar', length: '64', isNullable: false },
          { name: 'built_at', type: 'bigint', isNullable: false },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rollup_state');
    await q.dropTable('rollup_satisfaction_daily');
  }
}
