import type { DataSource } from 'typeorm';

/**
 * SQLite through TypeORM's better-sqlite3 driver has one connection, and every
 * `ds.transaction()` runs BEGIN on it: a second one started while the first is open fails
 * ("cannot start a transaction within a transaction") and breaks the first one's COMMIT.
 * SQLite allows one writer at a time anyway, so transactions are queued here, in order.
 * A transaction must not call `ds.transaction()` again (use the manager it was given).
 */
export function serializeTransactions(ds: DataSource): void {
  const manager = ds.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof manager.transaction;
}
