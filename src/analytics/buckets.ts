import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import { badInput } from '../domain/errors';
import type { Granularity } from './analytics.enums';

/** One row of the derived bucket table the SQL range-joins facts on (all instants epoch ms). */
export interface Bucket {
  /** Local start date of the bucket (may be before `from`); null when there is no PERIOD. */
  period: string | null;
  /** Instant of the bucket ∩ range start (inclusive) and end (exclusive). */
  startMs: number;
  endMs: number;
  /** Last local date of the bucket ∩ range (pairings active on it count for PAIRED_COVERAGE). */
  lastDate: string;
  /** The stock instant (inclusive): end of the bucket's last day in range, or asOf if earlier. */
  stockMs: number;
}

const UNIT: Record<Granularity, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
};

/** Parses a YYYY-MM-DD local date in `zone`; BAD_USER_INPUT naming the argument otherwise. */
export function localDate(value: string, zone: string, argument: string): DateTime {
  // luxon's named-zone parse costs tens of µs, a fifth of a rollup query's JavaScript: kept once parsed.
  const key = `${value}|${zone}`;
  const known = LOCAL_DATES.get(key);
  if (known) return known;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : null;
  if (!d?.isValid) throw badInput(`${argument} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`, { argument });
  const day = d.startOf('day');
  LOCAL_DATES.set(key, day);
  return day;
}

/** Valid local dates by `date|zone` (luxon DateTimes are immutable, so sharing them is safe). */
const LOCAL_DATES = new LRUCache<string, DateTime>({ max: 5000 });

/** Checks an IANA zone name; BAD_USER_INPUT otherwise. */
export function checkZone(zone: string): string {
  if (VALID_ZONES.has(zone)) return zone;
  if (!IANAZone.isValidZone(zone)) throw badInput(`timeZone "${zone}" is not an IANA time zone name`, { argument: 'timeZone' });
  if (VALID_ZONES.size < 1000) VALID_ZONES.add(zone); // luxon builds an Intl formatter per check
  return zone;
}

const VALID_ZONES = new Set<string>();

/** Number of local dates in [from, to] (both valid YYYY-MM-DD: Date.parse reads them as UTC midnights). */
export function countDays(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/**
 * The buckets meeting [from, to] in `zone`, in order, clipped to the range. Boundaries are
 * local midnights computed by luxon, so a 23- or 25-hour DST day is still exactly one bucket.
 * Without a granularity there is one bucket, the whole range, with a null period.
 */
export function computeBuckets(from: string, to: string, zone: string, granularity: Granularity | null, asOfMs: number): Bucket[] {
  // luxon pays an Intl offset lookup per step in a named zone (~20 ms for 91 days): the same
  // range, zone and granularity always give the same boundaries, so they are kept; only the
  // stock instant depends on asOf.
  const key = `${from}|${to}|${zone}|${granularity}`;
  let bounds = BOUNDS.get(key);
  if (!bounds) BOUNDS.set(key, (bounds = bucketBounds(from, to, zone, granularity)));
  // Spelled out: V8 copies a spread object with an added property through a slow path.
  return bounds.map((b) => ({ period: b.period, startMs: b.startMs, endMs: b.endMs, lastDate: b.lastDate, stockMs: Math.min(b.endMs - 1, asOfMs) }));
}

const BOUNDS = new LRUCache<string, ReadonlyArray<Omit<Bucket, 'stockMs'>>>({ max: 1000 });

function bucketBounds(from: string, to: string, zone: string, granularity: Granularity | null): Array<Omit<Bucket, 'stockMs'>> {
  const first = localDate(from, zone, 'from');
  const last = localDate(to, zone, 'to');
  const rangeEnd = last.plus({ days: 1 }).startOf('day');
  const out: Array<Omit<Bucket, 'stockMs'>> = [];
  const push = (period: string | null, start: DateTime, end: DateTime) => {
    const s = Math.max(start.toMillis(), first.toMillis());
    const e = Math.min(end.toMillis(), rangeEnd.toMillis());
    const lastDay = end < rangeEnd ? end.minus({ days: 1 }) : last;
    out.push({ period, startMs: s, endMs: e, lastDate: lastDay.toISODate()! });
  };
  if (granularity === null) {
    push(null, first, rangeEnd);
    return out;
  }
  const unit = UNIT[granularity];
  for (let start = first.startOf(unit); start < rangeEnd; ) {
    const end = start.plus(unit === 'quarter' ? { months: 3 } : { [`${unit}s`]: 1 }).startOf('day');
    push(start.toISODate()!, start, end);
    start = end;
  }
  return out;
}

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
