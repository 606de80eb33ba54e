import type { KeysetPosition } from './extract-cursor';
import type { ReadConnection, Row } from './read-connection';

/**
 * A bound in (updated_at, id) order. `id: null` means the whole updated_at group: as a lower
 * bound everything stamped `updatedAt` is excluded, as an upper bound it is included.
 */
export interface KeyBound {
  updatedAt: number;
  id: string | null;
}

export interface KeysetRange {
  table: string;
  /** Exclusive; null = from the start. */
  lower: KeyBound | null;
  /** Inclusive. */
  upper: KeyBound;
}

/** The larger of two exclusive lower bounds (`updatedSince` and an `after` cursor). */
export function maxLower(a: KeyBound | null, b: KeyBound | null): KeyBound | null {
  if (!a || !b) return a ?? b;
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  if (a.id === null || b.id === null) return a.id === null ? a : b;
  return a.id > b.id ? a : b;
}

/**
 * Yields the rows of a keyset range in (updated_at, id) order, `chunkSize` rows per
 * statement, so memory stays flat however many rows there are. Each statement is one tight
 * range on the (updated_at, id) index: the rest of the current updated_at group by id, then
 * the groups strictly between, then the last group up to the upper id. (The single predicate
 * `updated_at > ? OR (updated_at = ? AND id > ?)` makes MariaDB scan the whole current group
 * again for every chunk, which is quadratic when one import stamped millions of rows alike.)
 * `stop()` is asked before every statement, so a closed client stops the reading.
 */
export async function* scanKeyset(
  conn: ReadConnection,
  range: KeysetRange,
  select: string,
  chunkSize: number,
  stop: () => boolean | Promise<boolean>,
): AsyncGenerator<Row[]> {
  const t = conn.escape(range.table);
  const { upper } = range;
  let pos = range.lower;
  for (;;) {
    if (await stop()) return;
    const rows: Row[] = [];
    const want = () => chunkSize - rows.length;
    if (pos && pos.id !== null && pos.updatedAt <= upper.updatedAt) {
      const capId = pos.updatedAt === upper.updatedAt && upper.id !== null;
      rows.push(
        ...(await conn.query(
          `SELECT ${select} FROM ${t} WHERE updated_at = ? AND id > ?${capId ? ' AND id <= ?' : ''} ORDER BY id LIMIT ${want()}`,
          capId ? [pos.updatedAt, pos.id, upper.id] : [pos.updatedAt, pos.id],
        )),
      );
    }
    if (want() > 0 && (!pos || pos.updatedAt < upper.updatedAt)) {
      const where = [pos ? 'updated_at > ?' : null, upper.id === null ? 'updated_at <= ?' : 'updated_at < ?'].filter(Boolean);
      rows.push(
        ...(await conn.query(
          `SELECT ${select} FROM ${t} WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT ${want()}`,
          pos ? [pos.updatedAt, upper.updatedAt] : [upper.updatedAt],
        )),
      );
    }
    if (want() > 0 && upper.id !== null && (!pos || pos.updatedAt < upper.updatedAt)) {
      rows.push(
        ...(await conn.query(`SELECT ${select} FROM ${t} WHERE updated_at = ? AND id <= ? ORDER BY id LIMIT ${want()}`, [
          upper.updatedAt,
          upper.id,
        ])),
      );
    }
    if (rows.length) yield rows;
    if (rows.length < chunkSize) return;
    const last = rows[rows.length - 1];
    pos = { updatedAt: Number(last.updated_at), id: String(last.id) };
  }
}

/**
 * The key of the `limit`-th row after `lower` up to the watermark, or null when fewer rows
 * remain (the page is not full). Reads only the (updated_at, id) index, so a page's end is
 * known before its first byte is sent and `X-Next-Cursor` can be a header.
 */
export async function findPageEnd(
  conn: ReadConnection,
  table: string,
  lower: KeyBound | null,
  watermark: number,
  limit: number,
): Promise<KeysetPosition | null> {
  const t = conn.escape(table);
  let before = 0;
  if (lower && lower.id !== null) {
    const [hit] = await conn.query<{ id: string }>(
      `SELECT id FROM ${t} WHERE updated_at = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ${limit - 1}`,
      [lower.updatedAt, lower.id],
    );
    if (hit) return { updatedAt: lower.updatedAt, id: String(hit.id) };
    const [c] = await conn.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${t} WHERE updated_at = ? AND id > ?`,
      [lower.updatedAt, lower.id],
    );
    before = Number(c.n);
  }
  const [hit] = await conn.query<{ updated_at: number | string; id: string }>(
    `SELECT updated_at, id FROM ${t} WHERE ${lower ? 'updated_at > ? AND ' : ''}updated_at <= ? ORDER BY updated_at, id LIMIT 1 OFFSET ${limit - before - 1}`,
    lower ? [lower.updatedAt, watermark] : [watermark],
  );
  return hit ? { updatedAt: Number(hit.updated_at), id: String(hit.id) } : null;
}
