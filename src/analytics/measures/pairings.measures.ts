import { dateIndexSql, periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { householdJoin, householdTagsSql } from './households.measures';
import { groupBy, inList, inRange, keyColumns, QueryPlan, regionJoins, Statement } from './query-plan';

/**
 * PAIRED_COVERAGE parts per cell, in one statement of two branches (`part`):
 * - 'active': changes of the number of pairings active on each bucket's last day ∩ range
 *   (+1 in the first bucket whose last day is on or after startedOn, −1 in the first whose
 *   last day is after endedOn); the service sums them bucket after bucket;
 * - 'covered': active pairings with ≥ 1 visit by that cadre to that household within the
 *   bucket ∩ range (and by asOf): from the pairings that meet the range, each reading only its
 *   own visits of the range (idx_visits_household_cadre_at), not every visit of the range.
 * A pairing is placed by its household's region and its cadre. No pairing × bucket product.
 * Each branch only when its part is wanted ('pairings', 'coveredPairings').
 */
export const PAIRINGS: MeasureFamily = {
  id: 'pairings',
  facts: ['pairings', 'households', 'visits'],
  build(plan, parts) {
    const params: Record<string, unknown> = {};
    const cadres = plan.cadreIds ? `p.cadre_id IN (${inList('cadre', plan.cadreIds, params)})` : '1 = 1';
    // householdTags: pairings with a household carrying every tag.
    const cadre = plan.householdTags ? `${cadres} AND ${householdTagsSql(plan)}` : cadres;
    const joins = regionJoins(plan, 'h.region_id', params);
    // The household places a pairing in a region (and carries the tags): unscoped, without REGION or tags it is not read.
    const household = householdJoin(plan, 'p', joins);
    const lastDate = `'${plan.buckets[plan.buckets.length - 1].lastDate}'`;
    const active = keyColumns(plan, { PERIOD: 'p.i', CADRE: 'p.cadre_id' });
    const covered = keyColumns(plan, { PERIOD: periodIndexSql('v.visited_at', plan.buckets), CADRE: 'p.cadre_id' });
    // The last day of the visit's bucket ∩ range: the pairing must be active on it.
    const ld = periodIndexSql('v.visited_at', plan.buckets, (k) => `'${plan.buckets[k].lastDate}'`);
    // Each pairing's visits of the range, each placed in its bucket: the pairings with one in the bucket.
    const coveredByBucket = () => `SELECT ${["'covered' AS part", ...covered.select, 'COUNT(DISTINCT p.id) AS n'].join(', ')}
  FROM pairings p
  ${household}
  JOIN visits v ON v.household_id = p.household_id AND v.cadre_id = p.cadre_id AND ${inRange(plan, 'v.visited_at')}
 WHERE p.started_on <= ${lastDate} AND (p.ended_on IS NULL OR p.ended_on >= '${plan.buckets[0].firstDate}') AND ${cadre}
   AND p.started_on <= ${ld} AND (p.ended_on IS NULL OR p.ended_on >= ${ld})
 ${groupBy(covered.group)}`;

    // One bucket (an overview, a scorecard year): whether a visit exists, its first one found ends the probe (×10: half the time).
    const once = keyColumns(plan, { PERIOD: '0', CADRE: 'p.cadre_id' });
    const coveredOnce = () => `SELECT ${["'covered' AS part", ...once.select, 'COUNT(*) AS n'].join(', ')}
  FROM pairings p
  ${household}
 WHERE p.started_on <= ${lastDate} AND (p.ended_on IS NULL OR p.ended_on >= ${lastDate}) AND ${cadre}
   AND EXISTS (SELECT 1 FROM visits v WHERE v.household_id = p.household_id AND v.cadre_id = p.cadre_id AND ${inRange(plan, 'v.visited_at')})
 ${groupBy(once.group)}`;
    // The changes carry the pairing's columns the keys and filters read (alias p), rather than
    // being joined back to pairings by id (×100: 4.1 s of the county's 5.2 s, now 0.2 s).
    const activeChanges = () => `SELECT ${["'active' AS part", ...active.select, 'SUM(p.d) AS n'].join(', ')}
  FROM (SELECT p0.id, p0.cadre_id, p0.household_id, ${dateIndexSql('p0.started_on', plan.buckets)} AS i, 1 AS d FROM pairings p0 WHERE p0.started_on <= ${lastDate}
        UNION ALL
        SELECT p0.id, p0.cadre_id, p0.household_id, ${dateIndexSql('p0.ended_on', plan.buckets, true)} AS i, -1 AS d FROM pairings p0
         WHERE p0.ended_on IS NOT NULL AND p0.ended_on < ${lastDate} AND p0.started_on <= ${lastDate}) p
  ${household}
 WHERE ${cadre}
 ${groupBy(active.group)}`;
    // One bucket: its stock is its one change, each pairing started by its last day counted when
    // not ended before it. By cadre over the county a read of idx_pairings_cadre (cadre, first
    // and last day) alone, in cadre order (×10, a scorecard's year: a third of the cadre stock
    // rollup's two statements). A key with a pairing started by then is a row, 0 when none is active.
    const activeOnce = () => `SELECT ${["'active' AS part", ...once.select, `SUM(CASE WHEN p.ended_on IS NULL OR p.ended_on >= ${lastDate} THEN 1 ELSE 0 END) AS n`].join(', ')}
  FROM pairings p
  ${household}
 WHERE p.started_on <= ${lastDate} AND ${cadre}
 ${groupBy(once.group)}`;
    // The engine reads 'covered' from the paired-coverage rollup where it answers (rollups/read.ts readPairedCoverage).
    const branches = [...(parts.has('pairings') ? [plan.buckets.length === 1 ? activeOnce() : activeChanges()] : []), ...(parts.has('coveredPairings') ? [plan.buckets.length === 1 ? coveredOnce() : coveredByBucket()] : [])];
    const sql = branches.join('\nUNION ALL\n');
    return { sql, params };
  },
};

/**
 * The edge of the paired-coverage rollup's first bucket when the range starts inside a month (as
 * households.measures.ts coverageEdge for households): the pairings active on the bucket's last
 * day with a visit by their cadre to their household in [fromMs, toMs) and none from toMs to the
 * bucket's end, `sign` × their count as the family's 'covered' branch. The head (the rollup read
 * from the month's first instant: fromMs = it, toMs = the range's start, sign −1) or the tail (the
 * rollup read from the next month: fromMs = the start, toMs = the next month's first instant, sign
 * +1). Driven by the visits of [fromMs, toMs) (idx_visits_at_cover), each looking up its pairings.
 */
export function pairedEdge(plan: QueryPlan, fromMs: number, toMs: number, sign: 1 | -1): Statement {
  const params: Record<string, unknown> = {};
  const joins = regionJoins(plan, 'h.region_id', params);
  // No household tags here (the rollups answer without them).
  const household = householdJoin(plan, 'p', joins);
  const cadres = plan.cadreIds ? `AND p.cadre_id IN (${inList('cadre', plan.cadreIds, params)})` : '';
  const keys = keyColumns(plan, { PERIOD: '0', CADRE: 'p.cadre_id' });
  const lastDate = `'${plan.buckets[0].lastDate}'`;
  const [from, to, end, asOf] = [fromMs, toMs, plan.buckets[0].endMs, plan.asOfMs].map(Math.trunc);
  return {
    sql: `SELECT ${["'covered' AS part", ...keys.select, `${sign < 0 ? '-' : ''}COUNT(DISTINCT p.id) AS n`].join(', ')}
  FROM visits v
  JOIN pairings p ON p.household_id = v.household_id AND p.cadre_id = v.cadre_id
  ${household}
 WHERE v.visited_at >= ${from} AND v.visited_at < ${to} AND v.visited_at <= ${asOf}
   AND p.started_on <= ${lastDate} AND (p.ended_on IS NULL OR p.ended_on >= ${lastDate}) ${cadres}
   AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = p.household_id AND w.cadre_id = p.cadre_id AND w.visited_at >= ${to} AND w.visited_at < ${end} AND w.visited_at <= ${asOf})
 ${groupBy(keys.group)}`,
    params,
  };
}
