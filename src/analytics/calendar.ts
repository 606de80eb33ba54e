import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import type { FestivalWindow } from '../config';
import { badInput } from '../domain/errors';
import type { Granularity } from './analytics.enums';

/*
 * Local dates, buckets and festival windows in any IANA zone (luxon), for the engine, the
 * rollups, the dashboard and the scorecards. A Calendar is built once per configuration
 * (createServices) and keeps what luxon is slow to recompute (a named-zone step costs tens of
 * µs): parsed dates, bucket boundaries, the local day of an instant.
 */

/** One bucket of a query (all instants epoch ms). */
export interface Bucket {
  /** Local start date of the bucket (may be before `from`); null when there is no PERIOD. */
  period: string | null;
  /** Instant of the bucket ∩ range start (inclusive) and end (exclusive). */
  startMs: number;
  endMs: number;
  /** First and last local dates of the bucket ∩ range. */
  firstDate: string;
  lastDate: string;
  /** The stock instant (inclusive): end of the bucket's last day in range, or asOf if earlier. */
  stockMs: number;
}

/** A rollup grain: a local day, month or year (the `period` is 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'). */
export type Grain = 'D' | 'M' | 'Y';

/** A piece of a bucket read from a rollup: the rows of one grain and period, added or (a complement) subtracted. */
export interface Piece {
  grain: Grain;
  period: string;
  sign: 1 | -1;
}

const UNIT: Record<Granularity, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
};

/** Number of local dates in [from, to] (both valid YYYY-MM-DD: Date.parse reads them as UTC midnights). */
export function countDays(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** The date `n` days after a YYYY-MM-DD date (calendar arithmetic, no zone). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The festival windows of a configuration as inclusive local date ranges, merged where they
 * overlap: festival date − daysBefore … + daysAfter (metrics.md). Whole local days, so the same
 * dates in every zone; the one definition of a festival window (engine, rollups, scorecards,
 * daily_metrics).
 */
export function festivalDateRanges(festivals: readonly FestivalWindow[]): Array<[from: string, to: string]> {
  const ranges = festivals.flatMap((f) => f.dates.map((d) => [addDays(d, -f.daysBefore), addDays(d, f.daysAfter)] as [string, string]));
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: Array<[string, string]> = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= addDays(last[1], 1)) {
      if (b > last[1]) last[1] = b;
    } else merged.push([a, b]);
  }
  return merged;
}

/** Local dates, buckets and festival windows in IANA zones, with the caches that make them cheap. */
/** 2100-01-01T00:00Z: offsetPieces looks for transitions up to here (the last offset holds after it). */
const OFFSETS_UNTIL_MS = 4_102_444_800_000;
const WEEK_MS = 7 * 86_400_000;

export class Calendar {
  private readonly dates = new LRUCache<string, DateTime>({ max: 5000 });
  private readonly bounds = new LRUCache<string, ReadonlyArray<Omit<Bucket, 'stockMs'>>>({ max: 1000 });
  private readonly days = new LRUCache<string, string>({ max: 100_000 });
  private readonly zones = new Set<string>();
  /** Festival windows as inclusive local date ranges (zone-independent). */
  readonly festivalDates: ReadonlyArray<readonly [string, string]>;

  constructor(festivals: readonly FestivalWindow[]) {
    this.festivalDates = festivalDateRanges(festivals);
  }

  /** Checks an IANA zone name; BAD_USER_INPUT otherwise. */
  checkZone(zone: string): string {
    if (this.zones.has(zone)) return zone;
    if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) throw badInput(`timeZone "${zone}" is not an IANA time zone name`, { argument: 'timeZone' });
    if (this.zones.size < 1000) this.zones.add(zone); // luxon builds an Intl formatter per check
    return zone;
  }

  /** Parses a YYYY-MM-DD local date in `zone` (its midnight); BAD_USER_INPUT naming the argument otherwise. */
  localDate(value: string, zone: string, argument: string): DateTime {
    const key = `${value}|${zone}`;
    const known = this.dates.get(key);
    if (known) return known;
    const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : null;
    if (!d?.isValid) throw badInput(`${argument} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`, { argument });
    const day = d.startOf('day');
    this.dates.set(key, day);
    return day;
  }

  /** Epoch ms of the local midnight starting `date` (a DST day may be 23 or 25 hours long). */
  startOfDay(date: string, zone: string): number {
    return this.localDate(date, zone, 'date').toMillis();
  }

  /** Epoch ms of the local midnight after `date`: the exclusive end of that day. */
  endOfDay(date: string, zone: string): number {
    return this.localDate(date, zone, 'date').plus({ days: 1 }).startOf('day').toMillis();
  }

  /** The local date ('YYYY-MM-DD') of an instant in `zone`. */
  localDay(ms: number, zone: string): string {
    const key = `${zone}|${ms}`;
    let day = this.days.get(key);
    if (day === undefined) this.days.set(key, (day = DateTime.fromMillis(ms, { zone }).toISODate()!));
    return day;
  }

  /**
   * The zone's UTC offsets from 1970 to 2100 as pieces (the first from −∞, each until the next),
   * each starting at the exact instant its offset took effect: the local day of an instant is
   * the UTC day of instant + offset, so SQL can compute it with one comparison per transition.
   * Asia/Shanghai has 13 pieces (DST 1986–1991); a zone with DST today about 260.
   */
  offsetPieces(zone: string): ReadonlyArray<{ fromMs: number; offsetMs: number }> {
    const known = this.offsets.get(zone);
    if (known) return known;
    const z = IANAZone.create(zone);
    const at = (ms: number) => z.offset(ms) * 60_000;
    const pieces = [{ fromMs: -Infinity, offsetMs: at(0) }];
    // A week's step finds each transition, a bisection its instant: no zone of the IANA
    // database has two transitions within 7 days between 1970 and 2100 (checked against a
    // 1-day step for every zone Node's ICU knows).
    for (let t = 0; t < OFFSETS_UNTIL_MS; t += WEEK_MS) {
      const next = t + WEEK_MS;
      if (at(next) === pieces[pieces.length - 1].offsetMs) continue;
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (at(mid) === pieces[pieces.length - 1].offsetMs) lo = mid;
        else hi = mid;
      }
      pieces.push({ fromMs: hi, offsetMs: at(hi) });
    }
    this.offsets.set(zone, pieces);
    return pieces;
  }

  private readonly offsets = new Map<string, ReadonlyArray<{ fromMs: number; offsetMs: number }>>();

  /** Today's local date in `zone`. */
  today(zone: string, now: Date = new Date()): string {
    return DateTime.fromJSDate(now, { zone }).toISODate()!;
  }

  /**
   * The buckets meeting [from, to] in `zone`, in order, clipped to the range. Boundaries are
   * local midnights, so a 23- or 25-hour DST day is still exactly one bucket. Without a
   * granularity there is one bucket, the whole range, with a null period.
   */
  buckets(from: string, to: string, zone: string, granularity: Granularity | null, asOfMs: number): Bucket[] {
    const key = `${from}|${to}|${zone}|${granularity}`;
    let b = this.bounds.get(key);
    if (!b) this.bounds.set(key, (b = this.bucketBounds(from, to, zone, granularity)));
    // Spelled out: V8 copies a spread object with an added property through a slow path.
    return b.map((x) => ({ period: x.period, startMs: x.startMs, endMs: x.endMs, firstDate: x.firstDate, lastDate: x.lastDate, stockMs: Math.min(x.endMs - 1, asOfMs) }));
  }

  private bucketBounds(from: string, to: string, zone: string, granularity: Granularity | null): Array<Omit<Bucket, 'stockMs'>> {
    const first = this.localDate(from, zone, 'from');
    const last = this.localDate(to, zone, 'to');
    const rangeEnd = last.plus({ days: 1 }).startOf('day');
    const out: Array<Omit<Bucket, 'stockMs'>> = [];
    const push = (period: string | null, start: DateTime, end: DateTime) => {
      const s = start < first ? first : start;
      const lastDay = end < rangeEnd ? end.minus({ days: 1 }) : last;
      out.push({ period, startMs: s.toMillis(), endMs: Math.min(end.toMillis(), rangeEnd.toMillis()), firstDate: s.toISODate()!, lastDate: lastDay.toISODate()! });
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

  /** Festival windows as [start, end) instants of local midnights in `zone`, those meeting [startMs, endMs), clipped to it. */
  festivalRanges(zone: string, startMs: number, endMs: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const [a, b] of this.festivalDates) {
      const s = this.startOfDay(a, zone);
      const e = this.endOfDay(b, zone);
      if (e > startMs && s < endMs) out.push([Math.max(s, startMs), Math.min(e, endMs)]);
    }
    return out;
  }
}

/** The last day of a YYYY-MM month or YYYY year (calendar arithmetic). */
const monthEnd = (month: string) => addDays(`${nextMonth(month)}-01`, -1);
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Forward cover of [a, b] (inclusive dates) by whole years, whole months and days. */
function forward(a: string, b: string, sign: 1 | -1, out: Piece[]): void {
  let d = a;
  while (d <= b) {
    const year = d.slice(0, 4);
    if (d.endsWith('-01-01') && `${year}-12-31` <= b) {
      out.push({ grain: 'Y', period: year, sign });
      d = `${Number(year) + 1}-01-01`;
    } else if (d.endsWith('-01') && monthEnd(d.slice(0, 7)) <= b) {
      out.push({ grain: 'M', period: d.slice(0, 7), sign });
      d = `${nextMonth(d.slice(0, 7))}-01`;
    } else {
      out.push({ grain: 'D', period: d, sign });
      d = addDays(d, 1);
    }
  }
}

/**
 * The rollup pieces that sum to the facts of [a, b] (inclusive local dates): whole years,
 * whole months and days. Where the year or month at an end of the range is only partly inside
 * and the part outside lies outside the query's range altogether (`outsideFrom`/`outsideTo`:
 * it belongs to no other bucket), the whole year or month may be read with the outside part
 * subtracted; that is chosen when it reads fewer rows, counting pieces after `lastFactDay` (no
 * facts yet) as free. A year-to-date bucket is then one year row minus the (empty) days still
 * to come, where a forward cover reads eleven months and the days of this one.
 */
export function piecesOf(a: string, b: string, outsideFrom: boolean, outsideTo: boolean, lastFactDay: string): Piece[] {
  const cost = (ps: Piece[]) => ps.reduce((n, p) => n + (pieceStart(p) > lastFactDay ? 0 : 1), 0);
  const cover = (x: string, y: string, ox: boolean, oy: boolean): Piece[] => {
    const options: Piece[][] = [];
    const plain: Piece[] = [];
    forward(x, y, 1, plain);
    options.push(plain);
    if (x > y) return plain;
    for (const unit of ['Y', 'M'] as const) {
      // The tail: the whole year (month) of y, minus its days after y.
      const tailStart = unit === 'Y' ? `${y.slice(0, 4)}-01-01` : `${y.slice(0, 7)}-01`;
      const tailEnd = unit === 'Y' ? `${y.slice(0, 4)}-12-31` : monthEnd(y.slice(0, 7));
      if (oy && tailEnd > y && tailStart >= x) {
        const ps = tailStart > x ? cover(x, addDays(tailStart, -1), ox, false) : [];
        ps.push({ grain: unit, period: unit === 'Y' ? y.slice(0, 4) : y.slice(0, 7), sign: 1 });
        forward(addDays(y, 1), tailEnd, -1, ps);
        options.push(ps);
      }
      // The head: the whole year (month) of x, minus its days before x.
      const headStart = unit === 'Y' ? `${x.slice(0, 4)}-01-01` : `${x.slice(0, 7)}-01`;
      const headEnd = unit === 'Y' ? `${x.slice(0, 4)}-12-31` : monthEnd(x.slice(0, 7));
      if (ox && headStart < x && headEnd <= y) {
        const ps: Piece[] = [{ grain: unit, period: unit === 'Y' ? x.slice(0, 4) : x.slice(0, 7), sign: 1 }];
        forward(headStart, addDays(x, -1), -1, ps);
        if (headEnd < y) ps.push(...cover(addDays(headEnd, 1), y, false, oy));
        options.push(ps);
      }
    }
    return options.reduce((p, q) => (cost(q) < cost(p) ? q : p));
  };
  return cover(a, b, outsideFrom, outsideTo);
}

/** The first local date a piece covers. */
export function pieceStart(p: Piece): string {
  return p.grain === 'D' ? p.period : p.grain === 'M' ? `${p.period}-01` : `${p.period}-01-01`;
}
