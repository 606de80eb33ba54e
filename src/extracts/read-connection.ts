import type { DataSource } from 'typeorm';
import type { StoreKind } from '../database/dialect';
import { analyticsQuery } from '../database/replica-reads';

export type Row = Record<string, unknown>;

/** Where an extract reads from: committed data only, statement by statement. */
export interface ReadConnection {
  kind: StoreKind;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Quotes an identifier for this store (`rank` is reserved on MySQL 8). */
  escape(name: string): string;
  close(): Promise<void>;
}

/** The few calls of better-sqlite3 this module uses (the package ships no types). */
interface SqliteDb {
  prepare(sql: string): { all(...params: unknown[]): Row[] };
  pragma(s: string): unknown;
  exec(sql: string): unknown;
  close(): void;
  inTransaction: boolean;
}

/**
 * Opens a read connection for one extract. MySQL/MariaDB: statements from the pool of a read
 * replica (the primary without replicas), each seeing what was committed when it ran (with `snapshot`, one connection and one
 * consistent snapshot for the whole read). SQLite: a separate read-only connection to the same
 * file, because TypeORM's better-sqlite3 driver has one connection that every transaction
 * shares: a reader on it would see another request's uncommitted rows mid-transaction.
 * In WAL mode the separate connection sees only committed data and never blocks the writer.
 */
export async function openReadConnection(ds: DataSource, options: { snapshot?: boolean } = {}): Promise<ReadConnection> {
  const escape = (name: string) => ds.driver.escape(name);
  const log = (sql: string, params: unknown[]) => ds.logger.logQuery(sql, params);
  if (ds.options.type === 'better-sqlite3') {
    const file = String(ds.options.database);
    if (file === ':memory:' || file === '') {
      // A private in-memory database cannot be opened twice; fall back to the shared connection.
      return { kind: 'sqlite', escape, query: (sql, params = []) => ds.query(sql, params), close: async () => undefined };
    }
    const Database = require('better-sqlite3') as new (file: string, o: object) => SqliteDb;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if (options.snapshot) db.exec('BEGIN');
    const statements = new Map<string, ReturnType<SqliteDb['prepare']>>();
    return {
      kind: 'sqlite',
      escape,
      query: async <T>(sql: string, params: unknown[] = []) => {
        log(sql, params);
        let stmt = statements.get(sql);
        if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
        return stmt.all(...params) as T[];
      },
      close: async () => {
        if (db.inTransaction) db.exec('COMMIT');
        db.close();
      },
    };
  }
  if (!options.snapshot) {
    return { kind: 'mysql', escape, query: (sql, params = []) => analyticsQuery(ds, sql, params), close: async () => undefined };
  }
  // A read replica when configured: replicas apply transactions in commit order, which is
  // stamp order (write-clock.ts), so watermark pulls stay exact there, only later.
  const qr = ds.createQueryRunner('slave');
  await qr.connect();
  await qr.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  return {
    kind: 'mysql',
    escape,
    query: (sql, params = []) => qr.query(sql, params),
    close: async () => {
      try {
        await qr.query('COMMIT');
      } finally {
        await qr.release();
      }
    },
  };
}

/**
 * The watermark W of a pull: the last committed write stamp. A writing transaction takes its
 * stamp first, under the write_clock row lock it keeps until commit (write-clock.ts), so
 * every transaction stamped ≤ W has committed before W is visible, and every transaction
 * still in flight or yet to start gets a stamp > W. Rows with updated_at ≤ W are thus final
 * for this pull; the rest belong to the next one (`updatedSince=W`).
 */
export async function readWatermark(conn: ReadConnection, clock: 'write_clock' | 'audit_clock' = 'write_clock'): Promise<number> {
  // audit_log entries are stamped by audit_clock under the same rule (src/audit/audit-trail.ts).
  const [row] = await conn.query<{ last_ms: number | string }>(`SELECT last_ms FROM ${clock} WHERE id = 1`);
  return row ? Number(row.last_ms) : 0;
}
