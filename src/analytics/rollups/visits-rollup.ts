import type { QueryPlan, Statement } from '../measures/query-plan';
import { DailyRollup, localDay, rollupStatement } from './daily-rollup';

/*
 * The visits rollup (daily-rollup.ts): per local day and region, the visit count and the
 * village-stay days, so VISITS, VILLAGE_STAY_DAYS and HOLIDAY_VISIT_SHARE come out exactly as
 * from visits: festival windows are whole local days of the query zone, so a window's visits
 * are the rows of its days. HOUSEHOLDS_VISITED (distinct) and VISIT_ISSUE_RATE (depends on
 * asOf through the issues) are not additive per day: with them, or CADRE, the raw table answers.
 */
export const VISITS_DAILY: DailyRollup = {
  name: 'visits_daily.v1',
  label: 'visits',
  table: 'rollup_visits_daily',
  subtree: 'rollup_visits_subtree_daily',
  fact: 'visits',
  at: 'visited_at',
  region: 'region_id',
  atField: 'visitedAt',
  regionField: 'regionId',
  parts: [
    ['visits', 'COUNT(*)'],
    ['stay_days', "SUM(CASE WHEN f.kind = 'VILLAGE_STAY' THEN COALESCE(f.stay_days, 1) ELSE 0 END)"],
  ],
};

/**
 * The visits family's statement answered from the rollup, or null when it cannot answer this
 * plan exactly (rollupStatement; also not with the two non-additive measures, or festival
 * windows that are not whole days). Returns the columns VISITS.build gives for these measures (visits, stayDays,
 * holidayVisits).
 */
export function visitsFromRollup(plan: QueryPlan, queryZone: string, builtZone: string | null): Statement | null {
  if (plan.measures.has('HOUSEHOLDS_VISITED') || plan.measures.has('VISIT_ISSUE_RATE')) return null;
  // Festival windows arrive as instants of local midnights in the query zone: their local days.
  const windows: string[] = [];
  for (const [s, e] of plan.festivalRanges) {
    if (localDay(s - 1, queryZone) === localDay(s, queryZone) || localDay(e - 1, queryZone) === localDay(e, queryZone)) return null; // not whole days
    windows.push(`(f.day >= '${localDay(s, queryZone)}' AND f.day < '${localDay(e, queryZone)}')`); // dates from luxon: digits and dashes only
  }
  const holiday = windows.length ? `COALESCE(SUM(CASE WHEN ${windows.join(' OR ')} THEN f.visits ELSE 0 END), 0)` : '0';
  const sums = ['COALESCE(SUM(f.visits), 0) AS visits', 'COALESCE(SUM(f.stay_days), 0) AS stayDays', `${holiday} AS holidayVisits`];
  return rollupStatement(plan, VISITS_DAILY, queryZone, builtZone, sums, 'visits');
}
