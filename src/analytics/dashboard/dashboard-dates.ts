import { badInput } from '../../domain/errors';
import { addDays, countDays } from '../calendar';

/** An inclusive range of local dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

/** The same number of days immediately before `from` (the previous period of a dashboard). */
export function previousRange(r: DateRange): DateRange {
  const n = countDays(r.from, r.to);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/** Checks `from ≤ to` (the engine checks the rest); BAD_USER_INPUT otherwise. */
export function checkRange(r: DateRange): void {
  if (r.to < r.from) throw badInput(`"to" (${r.to}) is before "from" (${r.from})`, { argument: 'to' });
}
