import { periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { householdTagsSql } from './households.measures';
import { sumParts, visitParts } from './parts';
import { factWindow, groupBy, inList, keyColumns, partContextOf, regionJoins } from './query-plan';

/**
 * Visits per cell: the additive parts (parts.ts: count, village-stay days, festival-day visits)
 * and the two that are not: distinct households, and visits that raised an issue by asOf.
 */
export const VISITS: MeasureFamily = {
  id: 'visits',
  facts: ['visits', 'issues'],
  build(plan, wanted, options = {}) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, { PERIOD: periodIndexSql('f.visited_at', plan.buckets), CADRE: 'f.cadre_id' });
    const where = [factWindow(plan, 'f.visited_at', options)];
    // householdTags (HOUSEHOLDS_VISITED only): visits naming a household carrying every tag.
    if (plan.householdTags) where.push(`f.household_id IN (SELECT h.id FROM households h WHERE ${householdTagsSql(plan)})`);
    if (plan.cadreIds) where.push(`f.cadre_id IN (${inList('cadre', plan.cadreIds, params)})`);
    const parts = visitParts(partContextOf(plan)).filter((p) => wanted.has(p.name) || p.name === 'visits');
    const wantsIssues = wanted.has('visitsWithIssue');
    // Visits that raised an issue: the linked issues are collected once (GROUP BY visit_id,
    // served by idx_issues_visit_received alone) and left-joined by visit, instead of an EXISTS
    // probing issues per visit. The LEFT JOIN also keeps the visits leading the join on both stores.
    // The distinct count and the issue join are the dear parts: only when a measure reads them.
    const wantsHouseholds = wanted.has('householdsVisited');
    const sql = `SELECT ${[...keys.select,
      ...sumParts(parts, options.after === undefined ? undefined : '-1'),
      ...(wantsHouseholds ? ['COUNT(DISTINCT f.household_id) AS householdsVisited'] : [])].join(',\n       ')}
  FROM visits f
  ${wantsIssues ? `LEFT JOIN (SELECT li.visit_id FROM issues li WHERE li.visit_id IS NOT NULL AND li.received_at <= ${plan.asOfMs} GROUP BY li.visit_id) lv ON lv.visit_id = f.id` : ''}
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE ${where.join(' AND ')}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};
