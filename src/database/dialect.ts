import type { DataSource, EntityManager } from 'typeorm';

/** The two kinds of store: embedded SQLite, or MySQL/MariaDB. */
export type StoreKind = 'sqlite' | 'mysql';

export function storeKindOf(databaseUrl: string): StoreKind {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/**
 * The SQL that differs between SQLite and MySQL/MariaDB lives here, one small function each,
 * each tested on both stores (test/integration/dialect.test.ts). Everything else is shared SQL.
 */
export interface Dialect {
  kind: StoreKind;
  /** Larger of two expressions (SQLite's scalar MAX, MySQL's GREATEST). */
  greatest(a: string, b: string): string;
  /** Smaller of two expressions. */
  least(a: string, b: string): string;
  /** Two string expressions joined (SQLite's ||, MySQL's CONCAT). */
  concat(a: string, b: string): string;
  /**
   * A derived table of literal rows (each cell already an SQL literal), columns named as given.
   * SQLite's VALUES escapes its 500-term compound SELECT limit; MySQL/MariaDB name VALUES
   * columns differently, so they get UNION ALL SELECTs.
   */
  rowsTable(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): string;
  /**
   * An UPDATE of `table` from the derived table `source` (say a rowsTable), rows matched on
   * column `key`: each of `columns` takes the source row's value; `also` (an assignment without
   * parameters, e.g. "updated_at = 17…") is added to every matched row. MySQL/MariaDB join in
   * the UPDATE, SQLite has UPDATE … FROM: either way one index lookup per source row, where a
   * CASE per column compared every row with every id.
   */
  updateFrom(table: string, source: string, key: string, columns: readonly string[], also?: string): string;
  /** The UTC date ('YYYY-MM-DD') of an epoch-ms integer expression. */
  epochDay(ms: string): string;
  /** The date after a 'YYYY-MM-DD' date expression, as 'YYYY-MM-DD' (null for null). */
  dayAfter(date: string): string;
  /** Whether a comma-joined list column (household tags) holds `item` (an enum value: letters and _ only). */
  listContains(column: string, item: string): string;
  /**
   * INSERT of the rows of `select` (in `columns` order) into `table`, adding `add` to the row
   * already there when the key (`keys`, the primary key) exists: a rollup's signed contribution.
   */
  upsertAdding(table: string, columns: readonly string[], keys: readonly string[], add: readonly string[], select: string): string;
  /**
   * Column options for an id column: SQLite compares text case-sensitively already; MySQL's
   * default collation would not, so ids (and every column referencing one) are utf8mb4_bin.
   */
  idColumnOptions: { charset?: string; collation?: string };
}

const emptyRows = (columns: readonly string[]) => `SELECT ${columns.map((c) => `NULL AS ${c}`).join(', ')} FROM (SELECT 1 AS one) z WHERE 1 = 0`;

const SQLITE: Dialect = {
  kind: 'sqlite',
  idColumnOptions: {},
  greatest: (a, b) => `MAX(${a}, ${b})`,
  least: (a, b) => `MIN(${a}, ${b})`,
  concat: (a, b) => `(${a} || ${b})`,
  // Real seconds: date() floors them, before 1970 too (integer division would truncate towards 0).
  epochDay: (ms) => `date((${ms}) / 1000.0, 'unixepoch')`,
  dayAfter: (date) => `date(${date}, '+1 day')`,
  rowsTable: (columns, rows) =>
    rows.length === 0
      ? emptyRows(columns)
      : `SELECT ${columns.map((c, i) => `column${i + 1} AS ${c}`).join(', ')} FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) v`,
  // SQLite names the target columns unqualified in SET.
  listContains: (column, item) => `(',' || ${column} || ',') LIKE '%,${item},%'`,
  // The WHERE keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
  upsertAdding: (table, columns, keys, add, select) =>
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM (${select}) z WHERE 1 = 1 ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${add.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  updateFrom: (table, source, key, columns, also) =>
    `UPDATE ${table} SET ${[...columns.map((c) => `${c} = src.${c}`), ...(also ? [also] : [])].join(', ')} FROM (${source}) src WHERE src.${key} = ${table}.${key}`,
};

const MYSQL: Dialect = {
  kind: 'mysql',
  idColumnOptions: { charset: 'utf8mb4', collation: 'utf8mb4_bin' },
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  concat: (a, b) => `CONCAT(${a}, ${b})`,
  epochDay: (ms) => `DATE_FORMAT(DATE '1970-01-01' + INTERVAL FLOOR((${ms}) / 86400000) DAY, '%Y-%m-%d')`,
  dayAfter: (date) => `DATE_FORMAT(CAST(${date} AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d')`,
  rowsTable: (columns, rows) =>
    rows.length === 0
      ? emptyRows(columns)
      : rows.map((r, k) => `SELECT ${r.map((v, i) => (k === 0 ? `${v} AS ${columns[i]}` : v)).join(', ')}`).join(' UNION ALL '),
  listContains: (column, item) => `FIND_IN_SET('${item}', ${column}) > 0`,
  upsertAdding: (table, columns, _keys, add, select) =>
    `INSERT INTO ${table} (${columns.join(', ')}) ${select} ON DUPLICATE KEY UPDATE ${add.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`,
  // MySQL needs the target columns qualified (the source has the same names).
  updateFrom: (table, source, key, columns, also) =>
    `UPDATE ${table} dst JOIN (${source}) src ON src.${key} = dst.${key} SET ${[...columns.map((c) => `dst.${c} = src.${c}`), ...(also ? [`dst.${also}`] : [])].join(', ')}`,
};

/** The dialect of a data source or of the data source behind an entity manager. */
export function dialectOf(x: DataSource | EntityManager): Dialect {
  const ds = 'connection' in x ? x.connection : x;
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb' ? MYSQL : SQLITE;
}
