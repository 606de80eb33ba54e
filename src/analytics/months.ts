import { badInput } from '../domain/errors';
import { addDays } from './calendar';

/*
 * Calendar months of local dates ('YYYY-MM'), for the monthly report (月度通报: the month, the
 * one before it, the same month a year before) and the dashboard ranking's change against the
 * month before. Plain calendar arithmetic: a month's local dates are the same in every zone.
 */

/** A calendar month and its first and last local dates. */
export interface MonthRange {
  month: string;
  from: string;
  to: string;
}

/** Years a month may name (the scorecards' first year up to a far bound that keeps dates four digits). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 9998;

const pad = (n: number) => String(n).padStart(2, '0');

/** Parses 'YYYY-MM' (month 01–12, year 2000–9998); BAD_USER_INPUT naming `argument` otherwise. */
export function parseMonth(value: unknown, argument = 'month'): MonthRange {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  if (!m || month < 1 || month > 12 || year < FIRST_YEAR || year > LAST_YEAR) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
    throw badInput(`${argument} must be a calendar month as YYYY-MM (01–12, year ${FIRST_YEAR}–${LAST_YEAR}), got ${shown}`, { argument });
  }
  return monthRange(`${m[1]}-${m[2]}`);
}

/** The local dates of a valid 'YYYY-MM'. */
export function monthRange(month: string): MonthRange {
  return { month, from: `${month}-01`, to: addDays(`${addMonths(month, 1)}-01`, -1) };
}

/** The month `n` months after a valid 'YYYY-MM' (n may be negative). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${pad((index % 12) + 1)}`;
}

/** The last day of the month of a YYYY-MM-DD date. */
const lastDayOf = (date: string) => monthRange(date.slice(0, 7)).to;

/** The same day of the month `n` months away, clamped to that month's length (31 March − 1 month = 28/29 February). */
function shiftDate(date: string, n: number): string {
  const target = monthRange(addMonths(date.slice(0, 7), n));
  const day = `${target.month}-${date.slice(8, 10)}`;
  return day > target.to ? target.to : day;
}

/**
 * An inclusive range of local dates moved by `n` calendar months. A range of whole months moves
 * to the whole months before (March 1–31 → February 1–28); any other range keeps each end's day
 * of the month, clamped to the month's length (March 30 → February 28).
 */
export function shiftRangeByMonths(range: { from: string; to: string }, n: number): { from: string; to: string } {
  if (range.from.endsWith('-01') && range.to === lastDayOf(range.to)) {
    return { from: `${addMonths(range.from.slice(0, 7), n)}-01`, to: lastDayOf(`${addMonths(range.to.slice(0, 7), n)}-01`) };
  }
  return { from: shiftDate(range.from, n), to: shiftDate(range.to, n) };
}

/** '2026年3月' (the notice's way of naming a month). */
export function monthNameZh(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}
