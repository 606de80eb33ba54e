import { dialectOf } from '../dialect';
import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/** Id columns, so MySQL can give them a binary collation (ids are case-sensitive, as on SQLite). */
const ID_COLUMNS = new WeakSet<TableColumnOptions>();
const id = (name = 'id', nullable = false): TableColumnOptions => {
  const c: TableColumnOptions = { name, type: 'varchar', length: '64', isNullable: nullable, ...(name === 'id' ? { isPrimary: true } : {}) };
  ID_COLUMNS.add(c);
  return c;
};
/** `A1` and `a1` are two records on SQLite; utf8mb4_bin keeps them two on MySQL/MariaDB too. */
const binaryIds = (q: QueryRunner, columns: TableColumnOptions[]) =>
  columns.map((c) => (ID_COLUMNS.has(c) || (c.name.endsWith('_id') && c.type === 'varchar') ? { ...c, ...dialectOf(q.connection).idColumnOptions } : c));
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true });
const int = (name: string, nullable = true, def?: number): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable: nullable,
  ...(def !== undefined ? { default: def } : {}),
});
const stamps: TableColumnOptions[] = [ms('created_at'), ms('updated_at')];

interface Spec {
  name: string;
  columns: TableColumnOptions[];
  fks?: Array<[column: string, table: string]>;
  indexes?: Array<[name: string, columns: string[]]>;
}

/** The record model of domain.md, in import order, with the indexes the metrics use (region + time). */
const TABLES: Spec[] = [
  {
    name: 'regions',
    columns: [id(), id('parent_id', true), str('level', 16), str('name', 100), str('code', 12, true), ...stamps],
    fks: [['parent_id', 'regions']],
    indexes: [['idx_regions_parent', ['parent_id']], ['idx_regions_level', ['level']]],
  },
  {
    name: 'region_closure',
    columns: [
      { ...id('ancestor_id'), isPrimary: true },
      { ...id('descendant_id'), isPrimary: true },
      str('ancestor_level', 16),
      int('distance', false),
    ],
    fks: [['ancestor_id', 'regions'], ['descendant_id', 'regions']],
    indexes: [['idx_region_closure_desc_level', ['descendant_id', 'ancestor_level']]],
  },
  { name: 'departments', columns: [id(), str('name', 100), ...stamps] },
  {
    name: 'cadres',
    columns: [id(), str('name', 50), id('region_id'), str('rank', 16), str('unit', 100, true), str('phone', 32, true), ...stamps],
    fks: [['region_id', 'regions']],
    indexes: [['idx_cadres_region', ['region_id']]],
  },
  {
    name: 'households',
    columns: [id(), id('region_id'), str('head_name', 50), str('phone', 32, true), int('members'), str('tags', 200, true), ...stamps],
    fks: [['region_id', 'regions']],
    indexes: [['idx_households_region', ['region_id']]],
  },
  {
    name: 'pairings',
    columns: [id(), id('cadre_id'), id('household_id'), str('started_on', 10), str('ended_on', 10, true), ...stamps],
    fks: [['cadre_id', 'cadres'], ['household_id', 'households']],
    indexes: [['idx_pairings_cadre', ['cadre_id', 'started_on']], ['idx_pairings_household', ['household_id']]],
  },
  {
    name: 'visits',
    columns: [id(), id('cadre_id'), id('region_id'), id('household_id', true), ms('visited_at'), str('kind', 20), int('stay_days'), text('note'), ...stamps],
    fks: [['cadre_id', 'cadres'], ['region_id', 'regions'], ['household_id', 'households']],
    indexes: [
      ['idx_visits_region_at', ['region_id', 'visited_at']],
      ['idx_visits_at', ['visited_at']],
      ['idx_visits_cadre_at', ['cadre_id', 'visited_at']],
      ['idx_visits_household', ['household_id']],
      ['idx_visits_updated', ['updated_at', 'id']],
    ],
  },
  {
    name: 'issues',
    columns: [
      id(),
      id('region_id'),
      id('household_id', true),
      id('visit_id', true),
      str('channel', 20),
      str('category', 20),
      text('summary'),
      ms('received_at'),
      ms('due_at', true),
      { ...str('status', 16), default: "'OPEN'" },
      ms('first_response_at', true),
      ms('resolved_at', true),
      int('transfer_count', false, 0),
      int('reopen_count', false, 0),
      id('department_id', true),
      str('resident_answer', 8, true),
      int('latest_score'),
      ms('state_changed_at', true),
      ...stamps,
    ],
    fks: [
      ['region_id', 'regions'],
      ['household_id', 'households'],
      ['visit_id', 'visits'],
      ['department_id', 'departments'],
    ],
    indexes: [
      ['idx_issues_region_received', ['region_id', 'received_at']],
      ['idx_issues_received', ['received_at']],
      ['idx_issues_household', ['household_id']],
      ['idx_issues_visit', ['visit_id']],
      ['idx_issues_updated', ['updated_at', 'id']],
    ],
  },
  {
    name: 'issue_events',
    columns: [id(), id('issue_id'), ms('at'), str('type', 16), id('department_id', true), text('note'), ...stamps],
    fks: [['issue_id', 'issues'], ['department_id', 'departments']],
    indexes: [
      ['idx_issue_events_issue_at', ['issue_id', 'at']],
      ['idx_issue_events_at', ['at']],
      ['idx_issue_events_updated', ['updated_at', 'id']],
    ],
  },
  {
    name: 'survey_responses',
    columns: [
      id(),
      id('region_id'),
      id('issue_id', true),
      id('cadre_id', true),
      id('household_id', true),
      ms('responded_at'),
      str('channel', 16),
      int('score', false),
      str('resolved', 8, true),
      int('contacted'),
      text('comment'),
      ...stamps,
    ],
    fks: [['region_id', 'regions'], ['issue_id', 'issues'], ['cadre_id', 'cadres'], ['household_id', 'households']],
    indexes: [
      ['idx_surveys_region_at', ['region_id', 'responded_at']],
      ['idx_surveys_at', ['responded_at']],
      ['idx_surveys_issue', ['issue_id']],
      ['idx_surveys_cadre_at', ['cadre_id', 'responded_at']],
      ['idx_surveys_updated', ['updated_at', 'id']],
    ],
  },
];

export class CreateRecordTables1763856000000 implements MigrationInterface {
  name = 'CreateRecordTables1763856000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      const indexes = (t.indexes ?? []).map(([name, columnNames]) => new TableIndex({ name, columnNames }));
      // Every other table's id-style index stays implicit in its primary key; extracts page by (updated_at, id).
      if (!t.indexes?.some(([n]) => n.endsWith('_updated')) && t.columns.some((c) => c.name === 'updated_at')) {
        indexes.push(new TableIndex({ name: `idx_${t.name}_updated`, columnNames: ['updated_at', 'id'] }));
      }
      const foreignKeys = (t.fks ?? []).map(
        ([column, table]) =>
          new TableForeignKey({
            name: `fk_${t.name}_${column}`,
            columnNames: [column],
            referencedTableName: table,
            referencedColumnNames: ['id'],
          }),
      );
      await q.createTable(new Table({ name: t.name, columns: binaryIds(q, t.columns), indices: indexes, foreignKeys }), false);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name, true, true, true);
  }
}
