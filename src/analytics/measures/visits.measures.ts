import { periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { countIf, groupBy, inList, inRange, keyColumns, regionJoins } from './query-plan';

/** Visits per cell: count, distinct households, village-stay days, festival-window visits, visits that raised an issue. */
export const VISITS: MeasureFamily = {
  id: 'visits',
  facts: ['visits', 'issues'],
  build(plan) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, { PERIOD: periodIndexSql('f.visited_at', plan.buckets), CADRE: 'f.cadre_id' });
    const where = [inRange(plan, 'f.visited_at')];
    if (plan.cadreIds) where.push(`f.cadre_id IN (${inList('cadre', plan.cadreIds, params)})`);
    // Festival windows arrive as instants of local midnights in the query zone (computed by luxon).
    const holiday = plan.festivalRanges.length
      ? plan.festivalRanges.map(([s, e]) => `(f.visited_at >= ${s} AND f.visited_at < ${e})`).join(' OR ')
      : '1 = 0';
    // Visits that raised an issue: the linked issues are collected once (GROUP BY visit_id,
    // served by idx_issues_visit_received alone) and left-joined by visit, instead of an EXISTS
    // probing issues per visit. The LEFT JOIN also keeps the visits leading the join on both stores.
    // The distinct count and the issue join are the dear parts: only when a measure reads them
    // (a part left out reads as 0 and no requested measure looks at it).
    const wantsHouseholds = plan.measures.has('HOUSEHOLDS_VISITED');
    const wantsIssues = plan.measures.has('VISIT_ISSUE_RATE');
    const sql = `SELECT ${[...keys.select,
      'COUNT(*) AS visits',
      ...(wantsHouseholds ? ['COUNT(DISTINCT f.household_id) AS households'] : []),
      "SUM(CASE WHEN f.kind = 'VILLAGE_STAY' THEN COALESCE(f.stay_days, 1) ELSE 0 END) AS stayDays",
      `${countIf(holiday)} AS holidayVisits`,
      ...(wantsIssues ? [`${countIf('lv.visit_id IS NOT NULL')} AS visitsWithIssue`] : [])].join(',\n       ')}
  FROM visits f
  ${wantsIssues ? `LEFT JOIN (SELECT li.visit_id FROM issues li WHERE li.visit_id IS NOT NULL AND li.received_at <= ${plan.asOfMs} GROUP BY li.visit_id) lv ON lv.visit_id = f.id` : ''}
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE ${where.join(' AND ')}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};
