import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { dialectOf } from '../dialect';

/** The daily rollups this replaces: [own table, subtree table, parts] (as migrations 1764000000000–1764000600000 left them). */
const OLD: Array<[own: string, subtree: string, parts: string[]]> = [
  ['rollup_satisfaction_daily', 'rollup_satisfaction_subtree_daily', ['responses', 'score_sum', 'satisfied', 'dissatisfied']],
  ['rollup_visits_daily', 'rollup_visits_subtree_daily', ['visits', 'stay_days']],
];

/**
 * The one metric engine's rollups (src/analytics/rollups/): each rollup now makes its own table
 * from its definition when it is built (derived data, like a materialized view), so this drops
 * the daily tables of the previous two and records what a rollup was built with besides its
 * zone (RESPONSE_SLA_HOURS, the festival windows). Open issues get an index for backlog ageing:
 * the issues open at an instant are the stored open ones plus the few changed since.
 */
export class CreateEngineRollups1765000000000 implements MigrationInterface {
  name = 'CreateEngineRollups1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [own, subtree] of OLD) for (const t of [subtree, own]) if (await q.hasTable(t)) await q.dropTable(t);
    await q.query("DELETE FROM rollup_state WHERE name IN ('satisfaction_daily.v1', 'satisfaction_daily.v2', 'visits_daily.v1')");
    await q.addColumn('rollup_state', new TableColumn({ name: 'params', type: 'text', isNullable: true }));
    await q.createIndex(
      'issues',
      new TableIndex({ name: 'idx_issues_open', columnNames: ['status', 'received_at', 'state_changed_at', 'region_id', 'department_id', 'category', 'channel'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('issues', 'idx_issues_open');
    await q.query('DELETE FROM rollup_state WHERE params IS NOT NULL');
    await q.dropColumn('rollup_state', 'params');
    // The earlier daily tables come back empty; the earlier code builds them at its start-up.
    const bin = dialectOf(q.connection).idColumnOptions;
    for (const [own, subtree, parts] of OLD) {
      const cols = parts.map((name) => ({ name, type: 'int', isNullable: false }));
      const day = { name: 'day', type: 'varchar', length: '10', isPrimary: true };
      const region = { name: 'region_id', type: 'varchar', length: '64', isPrimary: true, ...bin };
      await q.createTable(new Table({ name: own, columns: [day, region, ...cols], indices: [{ name: `ix_${own}_region_day`, columnNames: ['region_id', 'day'] }] }));
      await q.createTable(
        new Table({
          name: subtree,
          columns: [region, day, { name: 'level', type: 'varchar', length: '16', isNullable: false, default: "''" }, ...cols],
          indices: [{ name: `ix_${subtree}_level_day`, columnNames: ['level', 'day', 'region_id', ...parts] }],
        }),
      );
    }
  }
}
