import type { Dialect } from '../database/dialect';
import type { Bucket, Calendar } from './calendar';

/*
 * Bucket SQL of the raw family statements: which bucket a fact's instant or date falls in, as a
 * balanced CASE over the bucket boundaries (calendar.ts computes them).
 */

/**
 * SQL giving the 0-based bucket of an instant column (or `leaf(bucket)`), as a balanced CASE
 * over the bucket starts: log₂(buckets) comparisons per row and no join, on both stores. Only
 * rows inside the range may reach it (the caller's WHERE keeps them there).
 */
export function periodIndexSql(column: string, buckets: readonly Bucket[], leaf: (k: number) => string = String): string {
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return leaf(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${column} < ${buckets[mid].startMs} THEN ${build(lo, mid - 1)} ELSE ${build(mid, hi)} END`;
  };
  return build(0, buckets.length - 1);
}

/**
 * SQL giving the first bucket whose last date (YYYY-MM-DD) is ≥ a date column (`strict`: >),
 * a balanced CASE on the bucket last dates; dates after the last bucket must be kept out by the caller.
 */
export function dateIndexSql(column: string, buckets: readonly Bucket[], strict = false): string {
  const op = strict ? '<' : '<=';
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${column} ${op} '${buckets[mid].lastDate}' THEN ${build(lo, mid)} ELSE ${build(mid + 1, hi)} END`;
  };
  return build(0, buckets.length - 1);
}

/**
 * SQL giving the first bucket whose stock instant is ≥ an instant column (stock changes up to
 * and including a bucket's instant belong to it), the same balanced CASE. Rows after the last
 * stock instant must be kept out by the caller.
 */
export function stockIndexSql(column: string, buckets: readonly Bucket[]): string {
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${column} <= ${buckets[mid].stockMs} THEN ${build(lo, mid)} ELSE ${build(mid + 1, hi)} END`;
  };
  return build(0, buckets.length - 1);
}

/**
 * SQL giving the local day ('YYYY-MM-DD') in `zone` of an instant column (epoch ms):
 * the UTC day of instant + the zone's offset then, the offset chosen by a balanced CASE over
 * the zone's transitions (none for a zone without them since 1970; 13 pieces for Asia/Shanghai).
 */
export function localDaySql(column: string, zone: string, calendar: Calendar, dialect: Dialect): string {
  const pieces = calendar.offsetPieces(zone);
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return dialect.epochDay(pieces[lo].offsetMs ? `${column} + ${pieces[lo].offsetMs}` : column);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${column} < ${pieces[mid].fromMs} THEN ${build(lo, mid - 1)} ELSE ${build(mid, hi)} END`;
  };
  return build(0, pieces.length - 1);
}
