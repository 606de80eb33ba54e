import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf } from '../../database/dialect';
import { fieldIndex } from '../../import/validate';
import type { QueryPlan, Statement } from '../measures/query-plan';
import { groupBy, inList, keyColumns, regionJoins } from '../measures/query-plan';

/*
 * Daily per-region rollup of survey responses: for each local day (in the zone recorded in
 * rollup_state) and each region a response was recorded in, the additive parts the
 * satisfaction measures need — count, score sum, satisfied (≥ 4), dissatisfied (≤ 2). Any
 * bucket made of whole local days of that zone is a sum of rows, so RESPONSES,
 * SATISFACTION_AVG, SATISFIED_RATE and DISSATISFIED_RATE (with their numerators,
 * denominators and Wilson intervals) come out exactly as from the raw table.
 *
 * Two tables: rollup_satisfaction_daily holds each region's own responses (the parts), and
 * rollup_satisfaction_subtree_daily holds, for every region, the sum over its whole subtree
 * (region_closure), so a county trend reads one row per day and a township ranking one row
 * per township and day, whatever the number of villages. Queries read the subtree table.
 *
 * Kept exact by refreshing, inside the import transaction, every (day, region) a written
 * response lands in or left, then those days of every ancestor (refreshAfterResponses); a
 * region that moves rebuilds the subtree table (rebuildSubtreeRollup). Built or rebuilt for a
 * zone by rebuildSatisfactionRollup; until then rollupZone() is null and nothing reads it.
 */

/** rollup_state name; v2 added the subtree table (migration 1764000300000 drops the v1 state). */
export const SATISFACTION_ROLLUP = 'satisfaction_daily.v2';
const TABLE = 'rollup_satisfaction_daily';
const SUBTREE = 'rollup_satisfaction_subtree_daily';
const PARTS = 'responses, score_sum, satisfied, dissatisfied';
const SUM_PARTS = 'SUM(o.responses), SUM(o.score_sum), SUM(o.satisfied), SUM(o.dissatisfied)';
/** Days per INSERT … SELECT (the buckets table is inlined, so keep it short). */
const DAYS_PER_STATEMENT = 31;

type Db = DataSource | EntityManager;

/** The zone the satisfaction rollup was built for, or null when it was never built. */
export async function rollupZone(db: Db): Promise<string | null> {
  const rows: Array<{ zone: string }> = await db.query('SELECT zone FROM rollup_state WHERE name = ?', [SATISFACTION_ROLLUP]);
  return rows[0]?.zone ?? null;
}

// The engine must not pay a statement per query to learn whether the rollup exists: the state
// is loaded once per data source (loadRollupState at start-up, or set by a rebuild).
const KNOWN = new WeakMap<object, string | null>();

/** Reads rollup_state into the per-process cache the metrics engine consults (call after migrations). */
export async function loadRollupState(ds: DataSource): Promise<string | null> {
  const zone = await rollupZone(ds);
  KNOWN.set(ds, zone);
  return zone;
}

/** The rollup zone known for this data source without a query (null: not built or not loaded). */
export function knownRollupZone(ds: DataSource): string | null {
  return KNOWN.get(ds) ?? null;
}

/** Local date ('YYYY-MM-DD') of an instant in `zone`. */
export function localDay(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

/** [start, end) instants of a local date in `zone` (23 or 25 hours on daylight-saving days). */
function dayRange(day: string, zone: string): [number, number] {
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  return [start.toMillis(), start.plus({ days: 1 }).toMillis()];
}

function daysTable(d: Dialect, days: string[], zone: string): string {
  return d.rowsTable(
    ['day', 's', 'e'],
    days.map((day) => {
      const [s, e] = dayRange(day, zone);
      return [`'${day}'`, String(s), String(e)]; // dates from luxon: digits and dashes only
    }),
  );
}

/** Recomputes the rollup rows of `days` × `regions` (all regions when null) from survey_responses. */
async function recompute(m: Db, zone: string, days: string[], regions: string[] | null): Promise<void> {
  const d = dialectOf(m);
  const sorted = [...new Set(days)].sort();
  for (let i = 0; i < sorted.length; i += DAYS_PER_STATEMENT) {
    const chunk = sorted.slice(i, i + DAYS_PER_STATEMENT);
    const params: Record<string, unknown> = {};
    const dayList = inList('day', chunk, params);
    const regionFilter = regions ? ` AND region_id IN (${inList('region', regions, params)})` : '';
    const factFilter = regions ? ` AND f.region_id IN (${inList('region', regions, params)})` : '';
    await run(m, { sql: `DELETE FROM ${TABLE} WHERE day IN (${dayList})${regionFilter}`, params });
    await run(m, {
      sql: `INSERT INTO ${TABLE} (day, region_id, responses, score_sum, satisfied, dissatisfied)
SELECT b.day, f.region_id, COUNT(*), SUM(f.score),
       SUM(CASE WHEN f.score >= 4 THEN 1 ELSE 0 END), SUM(CASE WHEN f.score <= 2 THEN 1 ELSE 0 END)
  FROM (${daysTable(d, chunk, zone)}) b
  JOIN survey_responses f ON f.responded_at >= b.s AND f.responded_at < b.e
 WHERE 1 = 1${factFilter}
 GROUP BY b.day, f.region_id`,
      params,
    });
  }
}

/**
 * Recomputes the subtree rows of `days` × `ancestors` (all regions when null) from the own
 * rows: each ancestor's day is the sum of its descendants' (itself included) own rows.
 */
async function recomputeSubtree(m: Db, days: string[] | null, ancestors: string[] | null): Promise<void> {
  const sorted = days ? [...new Set(days)].sort() : [null];
  for (let i = 0; i < sorted.length; i += DAYS_PER_STATEMENT) {
    const params: Record<string, unknown> = {};
    const chunk = days ? sorted.slice(i, i + DAYS_PER_STATEMENT) as string[] : null;
    const where = [
      chunk ? `day IN (${inList('day', chunk, params)})` : '',
      ancestors ? `region_id IN (${inList('anc', ancestors, params)})` : '',
    ].filter(Boolean);
    const factWhere = [
      chunk ? `o.day IN (${inList('day', chunk, params)})` : '',
      ancestors ? `c.ancestor_id IN (${inList('anc', ancestors, params)})` : '',
    ].filter(Boolean);
    await run(m, { sql: `DELETE FROM ${SUBTREE}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params });
    await run(m, {
      sql: `INSERT INTO ${SUBTREE} (day, region_id, ${PARTS})
SELECT o.day, c.ancestor_id, ${SUM_PARTS}
  FROM ${TABLE} o
  JOIN region_closure c ON c.descendant_id = o.region_id
 ${factWhere.length ? `WHERE ${factWhere.join(' AND ')}` : ''}
 GROUP BY o.day, c.ancestor_id`,
      params,
    });
  }
}

/** Rebuilds the subtree table from the own rows (after a region moved), in the caller's transaction. No-op until built. */
export async function rebuildSubtreeRollup(m: Db): Promise<void> {
  if (!(await rollupZone(m))) return;
  await recomputeSubtree(m, null, null);
}

async function run(m: Db, st: Statement): Promise<void> {
  const params: unknown[] = [];
  const sql = st.sql.replace(/:(p_[A-Za-z0-9_]+)/g, (_m, name: string) => {
    params.push(st.params[name]);
    return '?';
  });
  await m.query(sql, params);
}

/** Builds the rollup from scratch for `zone` (in one transaction) and records the zone. */
export async function rebuildSatisfactionRollup(ds: DataSource, zone: string): Promise<{ days: number; rows: number }> {
  const result = await ds.transaction(async (m) => {
    await m.query(`DELETE FROM ${TABLE}`);
    await m.query(`DELETE FROM ${SUBTREE}`);
    const [span]: Array<{ lo: number | null; hi: number | null }> = await m.query('SELECT MIN(responded_at) AS lo, MAX(responded_at) AS hi FROM survey_responses');
    const days: string[] = [];
    if (span && span.lo !== null && span.hi !== null) {
      const last = localDay(Number(span.hi), zone);
      for (let d = DateTime.fromISO(localDay(Number(span.lo), zone), { zone }); d.toISODate()! <= last; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
      await recompute(m, zone, days, null);
      await recomputeSubtree(m, null, null);
    }
    await m.query('DELETE FROM rollup_state WHERE name = ?', [SATISFACTION_ROLLUP]);
    await m.query('INSERT INTO rollup_state (name, zone, built_at) VALUES (?, ?, ?)', [SATISFACTION_ROLLUP, zone, Date.now()]);
    const [{ n }]: Array<{ n: number }> = await m.query(`SELECT COUNT(*) AS n FROM ${TABLE}`);
    return { days: days.length, rows: Number(n) };
  });
  KNOWN.set(ds, zone);
  return result;
}

/** Where a response was or is: its region and instant (old and new values of an update both count). */
export interface ResponsePoint {
  regionId: string;
  respondedAt: number;
}

/**
 * Refreshes the (day, region) rows that the written responses touch, inside the import's
 * transaction, so the rollup commits (or rolls back) with the batch. No-op until built.
 */
export async function refreshAfterResponses(m: EntityManager, points: readonly ResponsePoint[]): Promise<void> {
  if (!points.length) return;
  const zone = await rollupZone(m);
  if (!zone) return;
  const days = new Set<string>();
  const regions = new Set<string>();
  for (const p of points) {
    days.add(localDay(p.respondedAt, zone));
    regions.add(p.regionId);
  }
  // days × regions is a superset of the touched pairs; recomputing it is still exact.
  await recompute(m, zone, [...days], [...regions]);
  const ancestors: Array<{ id: string }> = await m.query(
    `SELECT DISTINCT ancestor_id AS id FROM region_closure WHERE descendant_id IN (${[...regions].map(() => '?').join(', ')})`,
    [...regions],
  );
  await recomputeSubtree(m, [...days], ancestors.map((a) => a.id));
}

/** Measures the satisfaction rollup answers exactly. */
export const ROLLUP_MEASURES = new Set(['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE']);

/**
 * The satisfaction family's statement answered from the rollup, or null when the rollup cannot
 * answer this plan exactly: a CADRE dimension or filter (not in the rollup), another zone than
 * the rollup's, or asOf inside the range (the rollup counts every response of a day).
 * Returns the same columns as SATISFACTION.build (responses, scoreSum, satisfied, dissatisfied).
 */
export function satisfactionFromRollup(plan: QueryPlan, queryZone: string, builtZone: string | null): Statement | null {
  if (builtZone === null || builtZone !== queryZone) return null;
  if ([...plan.dims].some((d) => d !== 'PERIOD' && d !== 'REGION')) return null;
  if (plan.cadreIds) return null;
  if (plan.asOfMs < plan.endMs - 1) return null;
  const params: Record<string, unknown> = {};
  // PERIOD is the bucket index, as the raw family gives it: a balanced CASE on the local day.
  const firstDays = plan.buckets.map((b) => `'${localDay(b.startMs, queryZone)}'`); // dates from luxon: digits and dashes only
  const index = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN f.day < ${firstDays[mid]} THEN ${index(lo, mid - 1)} ELSE ${index(mid, hi)} END`;
  };
  const first = localDay(plan.startMs, queryZone);
  const last = localDay(plan.endMs - 1, queryZone);
  const days = `f.day >= '${first}' AND f.day <= '${last}'`;
  // The facts the query counts are the subtree of its root: the region filter (inside the
  // scope: naming a region outside it is FORBIDDEN upstream), else the scope, else every top region.
  const root = plan.filterRoot ?? plan.scopeRoot;
  if (root !== null) params.p_root = root;
  if (plan.scopeRoot !== null) params.p_scope = plan.scopeRoot;
  const inScope = plan.scopeRoot !== null && plan.filterRoot !== null
    ? ' JOIN region_closure sc ON sc.descendant_id = f.region_id AND sc.ancestor_id = :p_scope'
    : '';
  const rootRows = root !== null
    ? `FROM ${SUBTREE} f${inScope} WHERE f.region_id = :p_root AND ${days}`
    : `FROM ${SUBTREE} f JOIN regions tr ON tr.id = f.region_id AND tr.parent_id IS NULL WHERE ${days}`;
  const parts = (sign: string) => `${sign}f.responses AS responses, ${sign}f.score_sum AS score_sum, ${sign}f.satisfied AS satisfied, ${sign}f.dissatisfied AS dissatisfied`;
  let source: string;
  let regionKey: string | undefined;
  if (plan.dims.has('REGION')) {
    params.p_level = plan.regionLevel;
    // The level's regions inside the root, each with its subtree total; facts under no such
    // region (recorded above the level, or the level is above the root) are the root's total
    // minus theirs: the null row, kept only when it holds a response.
    const levelRows = `FROM ${SUBTREE} f JOIN regions lv ON lv.id = f.region_id AND lv.level = :p_level${
      root !== null ? ' JOIN region_closure rf ON rf.descendant_id = f.region_id AND rf.ancestor_id = :p_root' : ''
    }${inScope} WHERE ${days}`;
    source = `(SELECT f.region_id AS region_key, f.day, ${parts('')} ${levelRows}
    UNION ALL SELECT NULL, f.day, ${parts('')} ${rootRows}
    UNION ALL SELECT NULL, f.day, ${parts('-')} ${levelRows}) f`;
    regionKey = 'f.region_key';
  } else {
    source = `(SELECT f.day, ${parts('')} ${rootRows}) f`;
  }
  const keys = keyColumns(plan, { PERIOD: index(0, plan.buckets.length - 1), ...(regionKey ? { REGION: regionKey } : {}) });
  const sql = `SELECT ${[...keys.select, 'COALESCE(SUM(f.responses), 0) AS responses', 'SUM(f.score_sum) AS scoreSum', 'COALESCE(SUM(f.satisfied), 0) AS satisfied', 'COALESCE(SUM(f.dissatisfied), 0) AS dissatisfied'].join(', ')}
  FROM ${source}
 ${groupBy(keys.group)}${regionKey ? `\n HAVING ${regionKey} IS NOT NULL OR SUM(f.responses) <> 0` : ''}`;
  return { sql, params };
}

/** Points of survey_responses rows given as import cells (validated or stored, field order of DATASETS). */
export function responsePoints(rows: ReadonlyArray<ReadonlyArray<unknown>>): ResponsePoint[] {
  const idx = fieldIndex('survey_responses');
  const region = idx.get('regionId')!;
  const at = idx.get('respondedAt')!;
  return rows.map((c) => ({ regionId: String(c[region]), respondedAt: Number(c[at]) }));
}
