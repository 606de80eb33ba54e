import { periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { groupBy, inRange, keyColumns, QueryPlan, regionJoins, Statement } from './query-plan';

/** Households carrying every tag of the `householdTags` filter (alias h), or nothing to add. */
export function householdTagsSql(plan: QueryPlan, alias = 'h'): string {
  return plan.householdTags ? plan.householdTags.map((t) => plan.dialect.listContains(`${alias}.tags`, t)).join(' AND ') : '1 = 1';
}

/**
 * The household of the facts `alias` name (as `h`, with the region joins `joins` on it), read for
 * its region (scope, REGION) and tags only: without them the whole county counts the facts'
 * household ids (every one names a stored household), not a lookup each; '' then.
 */
export function householdJoin(plan: QueryPlan, alias: string, joins: string): string {
  return joins || plan.householdTags ? `JOIN households h ON h.id = ${alias}.household_id\n  ${joins}` : '';
}

/**
 * VISIT_COVERAGE and PAIRED_HOUSEHOLD_RATE parts per cell, placed by the household's region, in
 * one statement of up to three branches (`part`; the engine reads each from a rollup where one
 * answers: rollups/read.ts readHouseholdCount, readCoverage, readPairedHouseholds):
 * - 'households': households in scope (as they are now; households have no history), given in
 *   the first bucket and run along the periods as a stock by the engine;
 * - 'covered': households with ≥ 1 visit naming them in the bucket ∩ range (and by asOf);
 * - 'paired': households with ≥ 1 pairing active on the last day of the bucket ∩ range.
 */
export const HOUSEHOLDS: MeasureFamily = {
  id: 'households',
  facts: ['households', 'visits', 'pairings'],
  build(plan, wanted) {
    const params: Record<string, unknown> = {};
    const joins = regionJoins(plan, 'h.region_id', params);
    const tags = householdTagsSql(plan);
    const householdOf = (alias: string) => householdJoin(plan, alias, joins);
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
    if (wanted.has('pairedHouseholds')) {
      // (Merging each household's pairings into spans and running them along the buckets took as
      // long at ×100 by month — 2.3 s against 2.2 s — and longer for one bucket.)
      const days = plan.dialect.rowsTable(['i', 'ld'], plan.buckets.map((b, i) => [String(i), `'${b.lastDate}'`])); // dates from luxon: digits and dashes
      const keys = keyColumns(plan, { PERIOD: 'b.i' });
      const household = householdOf('p');
      branches.push(`SELECT ${["'paired' AS part", ...keys.select, `COUNT(DISTINCT ${household ? 'h.id' : 'p.household_id'}) AS n`].join(', ')}
  FROM pairings p
  JOIN (${days}) b ON p.started_on <= b.ld AND (p.ended_on IS NULL OR p.ended_on >= b.ld)
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
  // No household tags here (the rollups answer without them).
  const household = householdJoin(plan, 'v', joins);
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
