import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { dialectOf } from './dialect';

/** Where a transaction's stamp waits for its commit (QueryRunner.data is TypeORM's place for this). */
const PENDING = 'minqingWriteStamp';

/**
 * Takes the write stamp for this transaction: max(previous stamp + 1, wall clock), from a
 * one-row table whose row lock is held until commit. Stamps therefore rise in commit order
 * and no two transactions share one, which is what makes `updatedSince` pulls exact: a row
 * stamped below a value already pulled can no longer appear. Call it first in a transaction
 * that writes records, and use the stamp as that transaction's created_at/updated_at.
 */
export async function takeWriteStamp(manager: EntityManager, wallClock: number = Date.now()): Promise<number> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('takeWriteStamp must run inside a transaction');
  const d = dialectOf(manager);
  await manager.query(`UPDATE write_clock SET last_ms = ${d.greatest('last_ms + 1', '?')} WHERE id = 1`, [wallClock]);
  const [row] = await manager.query('SELECT last_ms FROM write_clock WHERE id = 1');
  const stamp = Number(row.last_ms);
  manager.queryRunner.data[PENDING] = stamp;
  return stamp;
}

/**
 * Calls `listener` with the stamp of every transaction of `ds` that took one, once it has
 * committed (never for one rolled back): how a process tells the others that the data changed
 * (coordination/write-announcements.ts). The transaction's caller resumes when the listener's
 * promise settles (TypeORM awaits its subscribers). Register after `ds.initialize()`, which
 * resets the data source's subscribers. Returns a function that stops it.
 */
export function onCommittedWrites(ds: DataSource, listener: (stamp: number) => void | Promise<void>): () => void {
  if (!ds.isInitialized) throw new Error('onCommittedWrites: initialize the data source first');
  const settled = (qr: QueryRunner, committed: boolean) => {
    // A savepoint's commit is not the transaction's: wait for the outermost one.
    if (qr.isTransactionActive) return;
    const stamp = qr.data?.[PENDING] as number | undefined;
    if (stamp === undefined) return;
    delete qr.data[PENDING];
    return committed ? listener(stamp) : undefined;
  };
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit: (e: TransactionCommitEvent) => settled(e.queryRunner, true),
    afterTransactionRollback: (e: TransactionRollbackEvent) => settled(e.queryRunner, false),
  };
  ds.subscribers.push(subscriber);
  return () => {
    const i = ds.subscribers.indexOf(subscriber);
    if (i >= 0) ds.subscribers.splice(i, 1);
  };
}
