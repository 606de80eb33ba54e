import { DateTime } from 'luxon';
import type { FestivalWindow } from '../../config';
import { badInput } from '../../domain/errors';

/** An inclusive range of local dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

const day = (date: string, zone: string) => DateTime.fromISO(date, { zone });

/** Epoch ms of the local midnight starting `date` in `zone` (a DST day may be 23 or 25 hours long). */
export function localMidnightMs(date: string, zone: string): number {
  return day(date, zone).startOf('day').toMillis();
}

/** Epoch ms of the local midnight after `date`: the exclusive end of that day. */
export function endOfLocalDayMs(date: string, zone: string): number {
  return day(date, zone).plus({ days: 1 }).startOf('day').toMillis();
}

/** Number of local dates in an inclusive range. */
export function daysInRange(r: DateRange): number {
  return Math.round(DateTime.fromISO(r.to).diff(DateTime.fromISO(r.from), 'days').days) + 1;
}

/** The same number of days immediately before `from` (the previous period of a dashboard). */
export function previousRange(r: DateRange): DateRange {
  const n = daysInRange(r);
  const from = DateTime.fromISO(r.from);
  return { from: from.minus({ days: n }).toISODate()!, to: from.minus({ days: 1 }).toISODate()! };
}

/** Checks `from ≤ to` (the engine checks the rest); BAD_USER_INPUT otherwise. */
export function checkRange(r: DateRange): void {
  if (r.to < r.from) throw badInput(`"to" (${r.to}) is before "from" (${r.from})`, { argument: 'to' });
}

/** Today's local date in `zone`. */
export function todayIn(zone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/**
 * The instants [start, end) of every festival window (festival date − daysBefore … + daysAfter,
 * whole local days in `zone`) that meets [startMs, endMs), merged where windows overlap.
 */
export function festivalRanges(festivals: readonly FestivalWindow[], zone: string, startMs: number, endMs: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const f of festivals) {
    for (const d of f.dates) {
      const a = day(d, zone).minus({ days: f.daysBefore }).startOf('day').toMillis();
      const b = day(d, zone).plus({ days: f.daysAfter + 1 }).startOf('day').toMillis();
      if (b > startMs && a < endMs) ranges.push([Math.max(a, startMs), Math.min(b, endMs)]);
    }
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
