import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import type { Dataset } from '../../domain/datasets';
import { fieldIndex } from '../../domain/datasets';
import type { QueryPlan, Statement } from '../measures/query-plan';
import { groupBy, inList, keyColumns, render } from '../measures/query-plan';

/*
 * Daily per-region rollups of a fact table: for each local day (in the zone recorded in
 * rollup_state) the additive parts some measures need — counts and sums only — so any bucket
 * made of whole local days of that zone is a sum of rows, exactly as from the raw table.
 *
 * Each rollup has two tables: `<table>` holds each region's own facts per day (the parts), and
 * `<subtree>` holds, for every region, the sum over its whole subtree (region_closure), so a
 * county trend reads one row per day and a township ranking one row per township and day,
 * whatever the number of villages. Queries read the subtree table (subtreeSource).
 *
 * Kept exact by refreshing, inside the import transaction, every (day, region) a written fact
 * lands in or left, then those days of every ancestor (refreshRollup); a region that moves
 * rebuilds the subtree tables (rebuildSubtrees). Built or rebuilt for a zone by rebuildRollup;
 * until then the rollup's zone is null and nothing reads it. The rollups themselves are
 * defined next to the measures they answer (satisfaction-rollup.ts, visits-rollup.ts).
 */

export interface DailyRollup {
  /** rollup_state name (a new version of a rollup gets a new name, so it is rebuilt). */
  name: string;
  /** What it sums, for messages. */
  label: string;
  /** Own rows: (day, region_id, parts…). */
  table: string;
  /** Subtree sums: (region_id, day, level of the region, parts…). */
  subtree: string;
  /** The fact dataset (its table is alias f in `parts`), its instant column and its region column. */
  fact: Dataset;
  at: string;
  region: string;
  /** The dataset fields holding that instant and region (the import's cells are by field). */
  atField: string;
  regionField: string;
  /** Part column → aggregate over the fact rows of one (day, region) (counts and sums only). */
  parts: ReadonlyArray<readonly [column: string, aggregate: string]>;
}

/** Days per INSERT … SELECT (the days table is inlined, so keep it short). */
const DAYS_PER_STATEMENT = 31;

type Db = DataSource | EntityManager;

/** Where a fact was or is: its region and instant (old and new values of an update both count). */
export interface FactPoint {
  regionId: string;
  at: number;
}

/** Points of the rollup's fact rows given as import cells (validated or stored, field order of DATASETS). */
export function factPoints(r: DailyRollup, rows: ReadonlyArray<ReadonlyArray<unknown>>): FactPoint[] {
  const idx = fieldIndex(r.fact);
  const region = idx.get(r.regionField)!;
  const at = idx.get(r.atField)!;
  return rows.map((c) => ({ regionId: String(c[region]), at: Number(c[at]) }));
}

/** The zone a rollup was built for, or null when it was never built. */
export async function rollupZone(db: Db, r: DailyRollup): Promise<string | null> {
  const rows: Array<{ zone: string }> = await db.query('SELECT zone FROM rollup_state WHERE name = ?', [r.name]);
  return rows[0]?.zone ?? null;
}

// The engine must not pay a statement per query to learn whether a rollup exists: the states
// are loaded once per data source (loadRollupState at start-up, or set by a rebuild).
const KNOWN = new WeakMap<object, Map<string, string>>();

/** Reads rollup_state into the per-process cache the metrics engine consults (call after migrations). */
export async function loadRollupState(ds: DataSource): Promise<Map<string, string>> {
  const rows: Array<{ name: string; zone: string }> = await ds.query('SELECT name, zone FROM rollup_state');
  const known = new Map(rows.map((r) => [r.name, r.zone]));
  KNOWN.set(ds, known);
  return known;
}

/** The zone a rollup is known to be built for on this data source, without a query (null: not built or not loaded). */
export function knownRollupZone(ds: DataSource, r: DailyRollup): string | null {
  return KNOWN.get(ds)?.get(r.name) ?? null;
}

const DAYS = new LRUCache<string, string>({ max: 100_000 });

/** Local date ('YYYY-MM-DD') of an instant in `zone` (kept: bucket starts recur in every query). */
export function localDay(ms: number, zone: string): string {
  const key = `${zone}|${ms}`;
  let day = DAYS.get(key);
  if (day === undefined) DAYS.set(key, (day = DateTime.fromMillis(ms, { zone }).toISODate()!));
  return day;
}

/** [start, end) instants of a local date in `zone` (23 or 25 hours on daylight-saving days). */
function dayRange(day: string, zone: string): [number, number] {
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  return [start.toMillis(), start.plus({ days: 1 }).toMillis()];
}

const partList = (r: DailyRollup) => r.parts.map(([c]) => c).join(', ');

/**
 * Recomputes the own rows of `days` × `regions` (all regions when null) from the fact table:
 * one INSERT … SELECT per day, a range on the indexed instant column (joining a table of days
 * to the facts let MariaDB re-plan the range per day row: 7 minutes for 2.3M responses).
 */
async function recompute(m: Db, r: DailyRollup, zone: string, days: string[], regions: string[] | null): Promise<void> {
  const sorted = [...new Set(days)].sort();
  for (let i = 0; i < sorted.length; i += DAYS_PER_STATEMENT) {
    const params: Record<string, unknown> = {};
    const regionFilter = regions ? ` AND region_id IN (${inList('region', regions, params)})` : '';
    await run(m, { sql: `DELETE FROM ${r.table} WHERE day IN (${inList('day', sorted.slice(i, i + DAYS_PER_STATEMENT), params)})${regionFilter}`, params });
  }
  for (const day of sorted) {
    const [s, e] = dayRange(day, zone);
    const params: Record<string, unknown> = {};
    const factFilter = regions ? ` AND f.${r.region} IN (${inList('region', regions, params)})` : '';
    await run(m, {
      sql: `INSERT INTO ${r.table} (day, region_id, ${partList(r)})
SELECT '${day}', f.${r.region}, ${r.parts.map(([, agg]) => agg).join(', ')}
  FROM ${r.fact} f
 WHERE f.${r.at} >= ${s} AND f.${r.at} < ${e}${factFilter}
 GROUP BY f.${r.region}`, // day from luxon: digits and dashes only; s, e integers
      params,
    });
  }
}

/**
 * Recomputes the subtree rows of `days` (all days of the own rows when null) × `ancestors`
 * (all regions when null) from the own rows: each ancestor's day is the sum of its
 * descendants' (itself included). One statement per day: the GROUP BY stays in memory (a
 * month per statement spilled to disk: 7 s a month at ×100, against 50 ms a day).
 */
async function recomputeSubtree(m: Db, r: DailyRollup, days: string[] | null, ancestors: string[] | null): Promise<void> {
  const list = days ? [...new Set(days)].sort() : ((await m.query(`SELECT DISTINCT day FROM ${r.table} ORDER BY day`)) as Array<{ day: string }>).map((d) => d.day);
  const anc = (alias: string, params: Record<string, unknown>) => (ancestors ? ` AND ${alias} IN (${inList('anc', ancestors, params)})` : '');
  if (!days) await m.query(`DELETE FROM ${r.subtree}`); // all days: all ancestors too (callers pass null for both)
  for (const day of list) {
    const params: Record<string, unknown> = { p_day: day };
    if (days) await run(m, { sql: `DELETE FROM ${r.subtree} WHERE day = :p_day${anc('region_id', params)}`, params });
    await run(m, {
      sql: `INSERT INTO ${r.subtree} (day, region_id, level, ${partList(r)})
SELECT o.day, c.ancestor_id, a.level, ${r.parts.map(([c]) => `SUM(o.${c})`).join(', ')}
  FROM ${r.table} o
  JOIN region_closure c ON c.descendant_id = o.region_id
  JOIN regions a ON a.id = c.ancestor_id
 WHERE o.day = :p_day${anc('c.ancestor_id', params)}
 GROUP BY o.day, c.ancestor_id, a.level`,
      params,
    });
  }
}

async function run(m: Db, st: Statement): Promise<void> {
  const { sql, params } = render(st);
  await m.query(sql, params);
}

/** Builds a rollup from scratch for `zone` (in one transaction) and records the zone. */
export async function rebuildRollup(ds: DataSource, r: DailyRollup, zone: string): Promise<{ days: number; rows: number }> {
  const result = await ds.transaction(async (m) => {
    await m.query(`DELETE FROM ${r.table}`);
    await m.query(`DELETE FROM ${r.subtree}`);
    const [span]: Array<{ lo: number | null; hi: number | null }> = await m.query(`SELECT MIN(${r.at}) AS lo, MAX(${r.at}) AS hi FROM ${r.fact}`);
    const days: string[] = [];
    if (span && span.lo !== null && span.hi !== null) {
      const last = localDay(Number(span.hi), zone);
      for (let d = DateTime.fromISO(localDay(Number(span.lo), zone), { zone }); d.toISODate()! <= last; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
      await recompute(m, r, zone, days, null);
      await recomputeSubtree(m, r, null, null);
    }
    await m.query('DELETE FROM rollup_state WHERE name = ?', [r.name]);
    await m.query('INSERT INTO rollup_state (name, zone, built_at) VALUES (?, ?, ?)', [r.name, zone, Date.now()]);
    const [{ n }]: Array<{ n: number }> = await m.query(`SELECT COUNT(*) AS n FROM ${r.table}`);
    return { days: days.length, rows: Number(n) };
  });
  const known = KNOWN.get(ds) ?? new Map<string, string>();
  known.set(r.name, zone);
  KNOWN.set(ds, known);
  return result;
}

/**
 * Refreshes the (day, region) rows that written facts touch, then those days of every ancestor,
 * inside the import's transaction, so the rollup commits (or rolls back) with the batch.
 * No-op until built.
 */
export async function refreshRollup(m: EntityManager, r: DailyRollup, points: readonly FactPoint[]): Promise<void> {
  if (!points.length) return;
  const zone = await rollupZone(m, r);
  if (!zone) return;
  const days = new Set<string>();
  const regions = new Set<string>();
  for (const p of points) {
    days.add(localDay(p.at, zone));
    regions.add(p.regionId);
  }
  // days × regions is a superset of the touched pairs; recomputing it is still exact.
  await recompute(m, r, zone, [...days], [...regions]);
  const ancestors: Array<{ id: string }> = await m.query(
    `SELECT DISTINCT ancestor_id AS id FROM region_closure WHERE descendant_id IN (${[...regions].map(() => '?').join(', ')})`,
    [...regions],
  );
  await recomputeSubtree(m, r, [...days], ancestors.map((a) => a.id));
}

/** Rebuilds a built rollup's subtree table from its own rows (after a region moved), in the caller's transaction. */
export async function rebuildSubtree(m: Db, r: DailyRollup): Promise<void> {
  if (!(await rollupZone(m, r))) return;
  await recomputeSubtree(m, r, null, null);
}

/**
 * A family's statement on rollup `r` — keys, then `sums` over the parts of the derived table
 * `f` — or null when the rollup cannot answer `plan` exactly: another zone's days are not the
 * query's days, asOf inside the range would cut a day, and the rollups hold neither cadres nor
 * issue attributes (only PERIOD and REGION). `nonEmpty` is a part that is 0 only when no fact
 * was counted: a null-region row without facts is dropped, as the raw families never give one.
 */
export function rollupStatement(
  plan: QueryPlan,
  r: DailyRollup,
  queryZone: string,
  builtZone: string | null,
  sums: readonly string[],
  nonEmpty: string,
): Statement | null {
  if (builtZone === null || builtZone !== queryZone || plan.asOfMs < plan.endMs - 1) return null;
  if ([...plan.dims].some((d) => d !== 'PERIOD' && d !== 'REGION') || plan.cadreIds) return null;
  const params: Record<string, unknown> = {};
  const { source, regionKey, periodIndex } = subtreeSource(plan, r, queryZone, params);
  const keys = keyColumns(plan, { PERIOD: periodIndex, ...(regionKey ? { REGION: regionKey } : {}) });
  const sql = `SELECT ${[...keys.select, ...sums].join(', ')}
  FROM ${source}
 ${groupBy(keys.group)}${regionKey ? `\n HAVING ${regionKey} IS NOT NULL OR SUM(f.${nonEmpty}) <> 0` : ''}`;
  return { sql, params };
}

/**
 * The rollup's rows a query reads, as a derived table `f` with `day`, the part columns and
 * (with REGION) `region_key`, plus the period index on `f.day` (a balanced CASE, as the raw
 * families give it). The facts counted are the subtree of the query's root: the region filter
 * (inside the scope: naming a region outside it is FORBIDDEN upstream), else the scope, else
 * every top region. With REGION, each region of the level inside the root contributes its
 * subtree row; facts under no such region (recorded above the level, or the level is above
 * the root) are the root's total minus theirs: the null row (drop it when its parts are 0).
 */
function subtreeSource(plan: QueryPlan, r: DailyRollup, zone: string, params: Record<string, unknown>): { source: string; regionKey: string | null; periodIndex: string } {
  const firstDays = plan.buckets.map((b) => `'${localDay(b.startMs, zone)}'`); // dates from luxon: digits and dashes only
  const index = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN f.day < ${firstDays[mid]} THEN ${index(lo, mid - 1)} ELSE ${index(mid, hi)} END`;
  };
  const days = `f.day >= '${localDay(plan.startMs, zone)}' AND f.day <= '${localDay(plan.endMs - 1, zone)}'`;
  const root = plan.filterRoot ?? plan.scopeRoot;
  if (root !== null) params.p_root = root;
  if (plan.scopeRoot !== null) params.p_scope = plan.scopeRoot;
  const inScope = plan.scopeRoot !== null && plan.filterRoot !== null ? ' JOIN region_closure sc ON sc.descendant_id = f.region_id AND sc.ancestor_id = :p_scope' : '';
  const rootRows =
    root !== null
      ? `FROM ${r.subtree} f${inScope} WHERE f.region_id = :p_root AND ${days}`
      : `FROM ${r.subtree} f JOIN regions tr ON tr.id = f.region_id AND tr.parent_id IS NULL WHERE ${days}`;
  const parts = (sign: string) => r.parts.map(([c]) => `${sign}f.${c} AS ${c}`).join(', ');
  let source: string;
  let regionKey: string | null = null;
  if (plan.dims.has('REGION')) {
    params.p_level = plan.regionLevel;
    // The level's rows of the range are one range of the covering (level, day, region_id, parts…) index.
    const levelRows = `FROM ${r.subtree} f${
      root !== null ? ' JOIN region_closure rf ON rf.descendant_id = f.region_id AND rf.ancestor_id = :p_root' : ''
    }${inScope} WHERE f.level = :p_level AND ${days}`;
    source = `(SELECT f.region_id AS region_key, f.day, ${parts('')} ${levelRows}
    UNION ALL SELECT NULL, f.day, ${parts('')} ${rootRows}
    UNION ALL SELECT NULL, f.day, ${parts('-')} ${levelRows}) f`;
    regionKey = 'f.region_key';
  } else {
    source = `(SELECT f.day, ${parts('')} ${rootRows}) f`;
  }
  return { source, regionKey, periodIndex: index(0, plan.buckets.length - 1) };
}
