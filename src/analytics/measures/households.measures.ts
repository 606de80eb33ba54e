import { dateIndexSql, periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { groupBy, inRange, keyColumns, QueryPlan, regionJoins, Statement } from './query-plan';

/** Households carrying every tag of the `householdTags` filter (alias h), or nothing to add. */
export function householdTagsSql(plan: QueryPlan, alias = 'h'): string {
  return plan.householdTags ? plan.householdTags.map((t) => plan.dialect.listContains(`${alias}.tags`, t)).join(' AND ') : '1 = 1';
}

/**
 * VISIT_COVERAGE and PAIRED_HOUSEHOLD_RATE parts per cell, placed by the household's region, in
 * one statement of up to three branches (`part`; the engine reads the first two from rollups where
 * they answer: rollups/read.ts readHouseholdCount, readCoverage):
 * - 'households': households in scope (as they are now; households have no history), given in
 *   the first bucket and run along the periods as a stock by the engine;
 * - 'covered': households with ≥ 1 visit naming them in the bucket ∩ range (and by asOf);
 * - 'pairedDelta': changes of the households with ≥ 1 pairing active on the last day of the
 *   bucket ∩ range, run along the buckets by the engine as a stock.
 */
export const HOUSEHOLDS: MeasureFamily = {
  id: 'households',
  facts: ['households', 'visits', 'pairings'],
  build(plan, wanted) {
    const params: Record<string, unknown> = {};
    const joins = regionJoins(plan, 'h.region_id', params);
    const tags = householdTagsSql(plan);
    // The household is read for its region (scope, REGION) and tags only: the whole county counts
    // the visits' or pairings' household ids (every one names a stored household), not a lookup each.
    const householdOf = (alias: string) => (joins || plan.householdTags ? `JOIN households h ON h.id = ${alias}.household_id\n  ${joins}` : '');
    const branches: string[] = [];
    const stock = keyColumns(plan, { PERIOD: '0' });
    if (wanted.has('households')) branches.push(`SELECT ${["'households' AS part", ...stock.select, 'COUNT(*) AS n'].join(', ')}
  FROM households h
  ${joins}
 WHERE ${tags}
 ${groupBy(stock.group)}`);
    if (wanted.has('coveredHouseholds')) {
      const keys = keyColumns(plan, { PERIOD: periodIndexSql('v.visited_at', plan.buckets) });
      const household = householdOf('v');
      branches.push(`SELECT ${["'coveredHousehold' AS part", ...keys.select, `COUNT(DISTINCT ${household ? 'h.id' : 'v.household_id'}) AS n`].join(', ')}
  FROM visits v
  ${household}
 WHERE ${inRange(plan, 'v.visited_at')} AND ${household ? tags : 'v.household_id IS NOT NULL'}
 ${groupBy(keys.group)}`);
    }
    if (wanted.has('pairedHouseholds') && plan.buckets.length === 1) {
      // One bucket (an overview): the households with a pairing active on its last day, counted
      // directly (×100, a year: 0.13 s) — merging every household's pairings pays off only over
      // several buckets (the ×100 overview took 1 s longer with it).
      const ld = `'${plan.buckets[0].lastDate}'`; // a date from luxon: digits and dashes
      const keys = keyColumns(plan, { PERIOD: '0' });
      const household = householdOf('p');
      branches.push(`SELECT ${["'pairedDelta' AS part", ...keys.select, `COUNT(DISTINCT ${household ? 'h.id' : 'p.household_id'}) AS n`].join(', ')}
  FROM pairings p
  ${household}
 WHERE p.started_on <= ${ld} AND (p.ended_on IS NULL OR p.ended_on >= ${ld}) AND ${household ? tags : '1 = 1'}
 ${groupBy(keys.group)}`);
    } else if (wanted.has('pairedHouseholds')) {
      // A household is paired while any of its pairings is active: its pairings (those started by
      // the last bucket's last day) merged into spans, each +1 in the first bucket whose last day is
      // on or after its start and −1 in the first whose last day is after its end; the engine runs
      // them along the buckets like the households stock. One pass over the pairings, not one per bucket.
      const lastDate = `'${plan.buckets[plan.buckets.length - 1].lastDate}'`;
      const open = "'9999-12-31'";
      const order = 'PARTITION BY q.household_id ORDER BY q.started_on, q.id';
      const spans = `SELECT q.household_id, q.started_on,
             MAX(COALESCE(q.ended_on, ${open})) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end,
             MAX(COALESCE(q.ended_on, ${open})) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_end,
             LEAD(q.started_on) OVER (${order}) AS next_start
        FROM pairings q WHERE q.started_on <= ${lastDate}`;
      const changes = `SELECT s.household_id, ${dateIndexSql('s.started_on', plan.buckets)} AS i, 1 AS d FROM (${spans}) s WHERE s.before_end IS NULL OR s.started_on > s.before_end
        UNION ALL
        SELECT s.household_id, ${dateIndexSql('s.run_end', plan.buckets, true)} AS i, -1 AS d FROM (${spans}) s
         WHERE (s.next_start IS NULL OR s.next_start > s.run_end) AND s.run_end < ${lastDate}`;
      const keys = keyColumns(plan, { PERIOD: 'p.i' });
      const household = householdOf('p');
      branches.push(`SELECT ${["'pairedDelta' AS part", ...keys.select, 'SUM(p.d) AS n'].join(', ')}
  FROM (${changes}) p
  ${household}
 WHERE ${household ? tags : '1 = 1'}
 ${groupBy(keys.group)}`);
    }
    return { sql: branches.join('\nUNION ALL\n'), params };
  },
};

/**
 * The edge of the coverage rollup's first bucket when the range starts inside a month (rollups/
 * read.ts wholeMonths): the households visited in [fromMs, toMs) and not again from toMs to the
 * bucket's end, `sign` × their count as the family's 'coveredHousehold' branch (placed by the
 * household's region). Either the head — the rollup read from the month's first instant counts
 * the households seen only before the range's start: fromMs = that instant, toMs = the start,
 * sign −1 — or the tail — the rollup read from the next month misses those seen only in the
 * range's days before it: fromMs = the start, toMs = the next month's first instant, sign +1. The
 * engine takes the shorter (a month's days of visits at most, each probing its household's later visits).
 */
export function coverageEdge(plan: QueryPlan, fromMs: number, toMs: number, sign: 1 | -1): Statement {
  const params: Record<string, unknown> = {};
  const joins = regionJoins(plan, 'h.region_id', params);
  const household = joins ? `JOIN households h ON h.id = v.household_id\n  ${joins}` : '';
  const keys = keyColumns(plan, { PERIOD: '0' });
  const [from, to, end, asOf] = [fromMs, toMs, plan.buckets[0].endMs, plan.asOfMs].map(Math.trunc);
  return {
    sql: `SELECT ${["'coveredHousehold' AS part", ...keys.select, `${sign < 0 ? '-' : ''}COUNT(DISTINCT v.household_id) AS n`].join(', ')}
  FROM visits v
  ${household}
 WHERE v.visited_at >= ${from} AND v.visited_at < ${to} AND v.visited_at <= ${asOf} AND v.household_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = v.household_id AND w.visited_at >= ${to} AND w.visited_at < ${end} AND w.visited_at <= ${asOf})
 ${groupBy(keys.group)}`,
    params,
  };
}
