import type { DataSource } from 'typeorm';
import { analyticsQuery } from '../../database/replica-reads';
import type { CadreRank } from '../../domain/enums';
import type { Scope } from '../../domain/access';

/** The window a scorecard year covers, already resolved to instants and dates in the reporting zone. */
export interface ScorecardWindow {
  /** Epoch ms of the first local midnight of the year. */
  startMs: number;
  /** Epoch ms of the local midnight after the last counted day (exclusive). */
  endMs: number;
  /** The last counted local date: 31 Dec, or today for the current year (pairings active on it count). */
  lastDay: string;
  /** Festival windows meeting the year, as [startMs, endMs) instants in the reporting zone. */
  holidayRanges: Array<[number, number]>;
}

/** One cadre's raw annual facts, straight from SQL with numbers converted. */
export interface ScorecardFacts {
  cadreId: string;
  rank: CadreRank;
  visits: number;
  holidayVisits: number;
  stayDays: number;
  activePairings: number;
  coveredPairings: number;
  responses: number;
  satisfied: number;
  scoreSum: number;
}

/** Collects positional parameters in text order ('?' works on both stores). */
class Params {
  readonly values: unknown[] = [];
  p(v: unknown): string {
    this.values.push(v);
    return '?';
  }
}

/** `JOIN region_closure` restricting `regionColumn` to the subtree of `rootId` (nothing when null). */
function subtree(params: Params, alias: string, regionColumn: string, rootId: string | null): string {
  if (rootId === null) return '';
  return `JOIN region_closure ${alias} ON ${alias}.descendant_id = ${regionColumn} AND ${alias}.ancestor_id = ${params.p(rootId)}`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Reads every visible cadre's facts for one scorecard year in ONE statement: the cadres in
 * scope (and under `regionId`), left-joined to three GROUP BY cadre_id aggregates (visits,
 * pairings active on `lastDay` with their coverage, responses naming the cadre). Facts are
 * limited to the scope by their own region (a pairing by its household's), as the metrics
 * engine limits them, so an OFFICER sees no satisfaction from outside the subtree.
 */
export async function readScorecardFacts(
  ds: DataSource,
  scope: Scope,
  regionId: string | null,
  w: ScorecardWindow,
): Promise<ScorecardFacts[]> {
  const q = new Params();
  // Built in text order: every q.p() call appends its value where its '?' appears.
  const cadreJoins = `${subtree(q, 'cs', 'c.region_id', scope.regionId)} ${subtree(q, 'cf', 'c.region_id', regionId)}`;
  const holiday = w.holidayRanges.length
    ? w.holidayRanges.map(([a, b]) => `(v.visited_at >= ${q.p(a)} AND v.visited_at < ${q.p(b)})`).join(' OR ')
    : '1 = 0';
  const visits = `
    SELECT v.cadre_id AS cadre_id,
           COUNT(*) AS visits,
           SUM(CASE WHEN ${holiday} THEN 1 ELSE 0 END) AS holiday_visits,
           SUM(CASE WHEN v.kind = 'VILLAGE_STAY' THEN COALESCE(v.stay_days, 1) ELSE 0 END) AS stay_days
      FROM visits v
      ${subtree(q, 'vs', 'v.region_id', scope.regionId)}
     WHERE v.visited_at >= ${q.p(w.startMs)} AND v.visited_at < ${q.p(w.endMs)}
     GROUP BY v.cadre_id`;
  const pairings = `
    SELECT p.cadre_id AS cadre_id,
           COUNT(*) AS active_pairings,
           SUM(CASE WHEN EXISTS (
                 SELECT 1 FROM visits pv
                  WHERE pv.cadre_id = p.cadre_id AND pv.household_id = p.household_id
                    AND pv.visited_at >= ${q.p(w.startMs)} AND pv.visited_at < ${q.p(w.endMs)}
               ) THEN 1 ELSE 0 END) AS covered_pairings
      FROM pairings p
      ${scope.regionId === null ? '' : 'JOIN households h ON h.id = p.household_id'}
      ${subtree(q, 'ps', 'h.region_id', scope.regionId)}
     WHERE p.started_on <= ${q.p(w.lastDay)} AND (p.ended_on IS NULL OR p.ended_on >= ${q.p(w.lastDay)})
     GROUP BY p.cadre_id`;
  const surveys = `
    SELECT s.cadre_id AS cadre_id,
           COUNT(*) AS responses,
           SUM(CASE WHEN s.score >= 4 THEN 1 ELSE 0 END) AS satisfied,
           SUM(s.score) AS score_sum
      FROM survey_responses s
      ${subtree(q, 'ss', 's.region_id', scope.regionId)}
     WHERE s.cadre_id IS NOT NULL AND s.responded_at >= ${q.p(w.startMs)} AND s.responded_at < ${q.p(w.endMs)}
     GROUP BY s.cadre_id`;
  const sql = `
    SELECT c.id AS cadre_id, c.rank AS cadre_rank,
           va.visits, va.holiday_visits, va.stay_days,
           pa.active_pairings, pa.covered_pairings,
           sa.responses, sa.satisfied, sa.score_sum
      FROM cadres c
      ${cadreJoins}
      LEFT JOIN (${visits}) va ON va.cadre_id = c.id
      LEFT JOIN (${pairings}) pa ON pa.cadre_id = c.id
      LEFT JOIN (${surveys}) sa ON sa.cadre_id = c.id
     ORDER BY c.id`;
  return (await analyticsQuery(ds, sql, q.values)).map(
    (r: Record<string, unknown>): ScorecardFacts => ({
      cadreId: String(r.cadre_id),
      rank: r.cadre_rank as CadreRank,
      visits: num(r.visits),
      holidayVisits: num(r.holiday_visits),
      stayDays: num(r.stay_days),
      activePairings: num(r.active_pairings),
      coveredPairings: num(r.covered_pairings),
      responses: num(r.responses),
      satisfied: num(r.satisfied),
      scoreSum: num(r.score_sum),
    }),
  );
}
