import type { DataSource, EntityManager } from 'typeorm';
import type { StoreKind } from './data-source';

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
}

const SQLITE: Dialect = {
  kind: 'sqlite',
  greatest: (a, b) => `MAX(${a}, ${b})`,
  least: (a, b) => `MIN(${a}, ${b})`,
};

const MYSQL: Dialect = {
  kind: 'mysql',
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
};

/** The dialect of a data source or of the data source behind an entity manager. */
export function dialectOf(x: DataSource | EntityManager): Dialect {
  const ds = 'connection' in x ? x.connection : x;
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb' ? MYSQL : SQLITE;
}
