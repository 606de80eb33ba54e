import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const SUBTREES: Array<[table: string, index: string, parts: string[]]> = [
  ['rollup_satisfaction_subtree_daily', 'ix_rollup_sat_subtree_level_day', ['responses', 'score_sum', 'satisfied', 'dissatisfied']],
  ['rollup_visits_subtree_daily', 'ix_rollup_visits_subtree_level_day', ['visits', 'stay_days']],
];

/**
 * The subtree rollups carry their region's level, indexed with the day: a ranking of one level
 * over a month reads that level's rows of the month (a range), where the join on regions read
 * every day of every region of the level (village ranking at ×100: 3.7 s, slower than the raw
 * tables). The index carries the parts too, so that range is all a ranking reads (at ×10 the
 * village ranking's statement went from 50 ms to 20 ms with them). Filled from regions here;
 * a region that changes level rebuilds the subtree tables.
 */
export class AddSubtreeRollupLevel1764000600000 implements MigrationInterface {
  name = 'AddSubtreeRollupLevel1764000600000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, index, parts] of SUBTREES) {
      await q.addColumn(table, new TableColumn({ name: 'level', type: 'varchar', length: '16', isNullable: false, default: "''" }));
      await q.query(`UPDATE ${table} SET level = (SELECT r.level FROM regions r WHERE r.id = ${table}.region_id)`);
      await q.createIndex(table, new TableIndex({ name: index, columnNames: ['level', 'day', 'region_id', ...parts] }));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, index] of SUBTREES) {
      await q.dropIndex(table, index);
      await q.dropColumn(table, 'level');
    }
  }
}
