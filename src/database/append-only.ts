import type { DataSource, QueryRunner } from 'typeorm';

/** Tables whose rows are only ever added (the audit trail): nothing the service runs may change or remove one. */
export const APPEND_ONLY_TABLES = ['audit_log'] as const;

/** An attempt to change or remove rows of an append-only table. */
export class AppendOnlyViolation extends Error {
  constructor(readonly table: string, sql: string) {
    super(`${table} is append-only: refused ${sql.trim().slice(0, 80).replace(/\s+/g, ' ')}…`);
    this.name = 'AppendOnlyViolation';
  }
}

/**
 * The statement-level wall around append-only tables, installed on every query runner of a
 * data source (entity managers, repositories, `ds.query`, migrations all run SQL through one):
 * UPDATE, DELETE, TRUNCATE, REPLACE and upserts that name the table are refused before they reach
 * the database. INSERT and SELECT pass; so do schema statements (CREATE/ALTER/DROP), which only
 * migrations run. No database trigger (the README promises none); in production the database
 * user's grants are the outer wall (README "Audit trail").
 */
export function guardAppendOnly(ds: DataSource, tables: readonly string[] = APPEND_ONLY_TABLES): void {
  const names = tables.map((t) => ({ table: t, re: new RegExp(`[\\s\`"'.(]${t}[\\s\`"'(),;]|[\\s\`"'.(]${t}$`, 'i') }));
  const check = (sql: string) => {
    const head = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
    const changes =
      head === 'UPDATE' ||
      head === 'DELETE' ||
      head === 'TRUNCATE' ||
      head === 'REPLACE' ||
      (head === 'INSERT' && /\bON\s+(DUPLICATE\s+KEY|CONFLICT)\b|^\s*INSERT\s+OR\s+REPLACE\b/i.test(sql)) ||
      (head === 'WITH' && /\b(UPDATE|DELETE)\b/i.test(sql));
    if (!changes) return;
    for (const { table, re } of names) if (re.test(sql)) throw new AppendOnlyViolation(table, sql);
  };
  const driver = ds.driver as { createQueryRunner(mode?: unknown): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode?: unknown) => {
    const qr = create(mode);
    if ((qr as { appendOnlyGuarded?: boolean }).appendOnlyGuarded) return qr; // better-sqlite3 hands out one runner
    const query = qr.query.bind(qr) as (...args: unknown[]) => Promise<unknown>;
    qr.query = (async (sql: string, ...rest: unknown[]) => {
      check(sql);
      return query(sql, ...rest);
    }) as QueryRunner['query'];
    (qr as { appendOnlyGuarded?: boolean }).appendOnlyGuarded = true;
    return qr;
  };
}
