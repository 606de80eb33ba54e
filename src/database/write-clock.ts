import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

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
  return Number(row.last_ms);
}
