import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { dialectOf } from '../../database/dialect';
import type { RegionLevel } from '../../domain/enums';
import { localDaySql } from '../buckets';
import type { Calendar, Grain } from '../calendar';
import { columnOf, Part, PartContext } from '../measures/parts';
import { inList, render, Statement } from '../measures/query-plan';

/*
 * A rollup: the parts of one measure family summed per region subtree and per local day, month
 * and year (`grain`, `period` 'YYYY-MM-DD' / 'YYYY-MM' / 'YYYY') in the zone it was built for,
 * optionally by issue dimensions or by cadre. A query reads whole years, months and days of it
 * (calendar.ts piecesOf) instead of the facts.
 *
 * It is kept exact by contributions: before a write changes a fact (a visit, a response, an
 * issue's stored state, a region's place in the tree) its old rows are subtracted, after the
 * write its new rows are added, in the same transaction — one INSERT … SELECT per rollup that
 * computes the fact rows' parts (parts.ts, the same expressions the raw statements sum) and
 * adds them to every (grain, period, ancestor) row with an upsert. A rebuild is the same
 * contribution of every fact, a month at a time.
 */

export interface RollupDim {
  /** Column of the rollup table and of the fact rows (`f.<column>`). */
  column: string;
  /** Stored for a null value (a key column cannot be null on MySQL); read back as null. */
  none?: string;
  /**
   * The dim is the local month ('YYYY-MM', in the rollup's zone) of this instant column of the
   * fact rows instead of a column of theirs ('' when it is null).
   */
  monthOf?: string;
  /**
   * The dim is the month ('YYYY-MM') of the day after this date column ('YYYY-MM-DD') of the fact
   * rows, `none` when it is null: a pairing ended on that date is active on the last day of
   * month n exactly when this month is after n.
   */
  monthAfterDay?: string;
  /**
   * Stored as the later of the value and the row's last month ('YYYY-MM' dims: a month's row its
   * month, a year's row December): a bucket that reads the row ends in or after that month, so
   * where the bucket's last month is compared with the dim (start_month ≤ n, end_month > n) the
   * earlier values all answer alike — fewer rows.
   */
  atLeastPeriod?: boolean;
  /**
   * Stored as the earlier of the value and the row's first month (a year's row: January): a
   * bucket that reads the row starts in or before it, so where the bucket's first month is
   * compared with the dim (prev_month < m) the later values all answer alike.
   */
  atMostPeriod?: boolean;
}

export interface RollupDef {
  /** rollup_state name; a new version of a definition gets a new name, so it is rebuilt. */
  name: string;
  /** What it sums, for messages. */
  label: string;
  table: string;
  /** The family whose parts it holds (and answers). */
  family: string;
  /**
   * The fact rows (alias `f`) meeting `cond` (a condition on `f`), with the columns the parts,
   * `at`, the region or key and the dims read. `fromMs` (a `batchKey` rollup, whose rows depend on
   * earlier facts): only the rows at or after that instant, their columns still from every fact.
   */
  source(cond: string, fromMs?: number): string;
  /**
   * The fact rows of a rebuild's chunk (`chunk` in a month), when `source` is exact only for
   * conditions that keep whole groups of facts (the import's and a region move's): default `source`.
   */
  chunkSource?(cond: string): string;
  /** The instant that places a fact row in a day (a column of the source rows). */
  at: string;
  /** `at` is a local date ('YYYY-MM-DD') already, not an instant (a pairing's first and last days). */
  atDay?: boolean;
  /** The base fact table (alias `f` inside `source`). */
  factTable: string;
  /**
   * A column of the base fact table that orders the facts in time: a rebuild takes a month of
   * it at a time, over the range the table's index gives (not the source's, which may be costly).
   */
  chunk: string;
  /** Regions: rows per ancestor of `f.region_id` at these levels (null: keyed by `key`, not by region). */
  levels: readonly RegionLevel[] | null;
  /**
   * The grains kept, and at which levels (region rollups): days only where they sum many facts
   * (a village's or a cadre's days are about as many rows as its facts, so a query needing them
   * reads the facts instead). Not given: days, months and years at every level.
   */
  grains?: Partial<Record<Grain, readonly RegionLevel[] | 'all'>>;
  /** Without regions: the key column of the rows (e.g. cadre_id); fact rows whose key is null are left out. */
  key?: string;
  dims: readonly RollupDim[];
  parts(c: PartContext): Part[];
  /**
   * A part that counts the fact rows (0 exactly when a cell has no facts): a cell's rows sum to
   * 0 there, and such rows (left by a fact that moved to another key) are not read as data.
   */
  count: string;
  /**
   * Instead of sums, one row per fact and ancestor with these columns of the source rows (the
   * durations percentiles need every value): a contribution deletes (−1) or inserts (+1) the
   * rows of its facts, keyed by the source's `id`.
   */
  rows?: ReadonlyArray<{ column: string; type: 'BIGINT' | 'VARCHAR(16)' }>;
  /** The datasets whose writes change its facts (import calls the maintenance for these). */
  datasets: readonly string[];
  /**
   * 'household': a batch contributes every fact of the households it touches (BatchFacts
   * households: a visits or pairings batch's, old and new, a households batch's own), not only its
   * own records — a fact's row depends on the household's other facts.
   */
  batchKey?: 'household';
}

/** What a rollup was built with: the zone of its days and the configuration its parts depend on. */
export interface RollupParams {
  zone: string;
  slaMs: number;
  repeatWindowMs: number;
  /** The festival windows as date ranges (JSON), for parts that count festival days. */
  festivals: string;
}

export const sameParams = (a: RollupParams | null, b: RollupParams) =>
  a !== null && a.zone === b.zone && a.slaMs === b.slaMs && a.repeatWindowMs === b.repeatWindowMs && a.festivals === b.festivals;

/**
 * What a rollup's table and rows are made of (its key, grains, levels, fact rows and part SQL),
 * as a short hash: a build records it, and a rollup whose definition changed since is rebuilt
 * (it holds rows of another shape), whatever its name.
 */
/** The version of createTable's layout (indexes): a change rebuilds every rollup. */
const TABLE_LAYOUT = 2;
/** The version of a per-fact rollup's indexes: a change rebuilds those only. */
const ROWS_LAYOUT = 2;

export function definitionHash(r: RollupDef): string {
  const names: PartContext = { slaMs: 0, festival: (c) => `festival(${c})`, linkedIssue: (c) => `linked(${c})`, repeatWindowMs: 0 };
  // Per-fact rollups' own indexes (createTable), so a change to them rebuilds those alone.
  const shape = { layout: TABLE_LAYOUT, ...(r.rows ? { rowsLayout: ROWS_LAYOUT } : {}), table: r.table, levels: r.levels, grains: r.grains ?? null, key: r.key ?? null, dims: r.dims, rows: r.rows ?? null, at: r.at, ...(r.atDay ? { atDay: true } : {}), source: r.source('cond'), ...(r.chunkSource ? { chunkSource: r.chunkSource('cond') } : {}), parts: r.parts(names) };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

/** The part context of a rollup built with `p` (festival days in its zone). */
export function rollupPartContext(calendar: Calendar, p: RollupParams): PartContext {
  return {
    slaMs: p.slaMs,
    festival: (column) => {
      const ranges = (JSON.parse(p.festivals) as Array<[string, string]>).map(([a, b]) => `(${column} >= ${calendar.startOfDay(a, p.zone)} AND ${column} < ${calendar.endOfDay(b, p.zone)})`);
      return ranges.length ? `(${ranges.join(' OR ')})` : '1 = 0';
    },
    // Any issue naming the visit (the engine reads this part only when no issue is received after asOf).
    linkedIssue: (column) => `EXISTS (SELECT 1 FROM issues li WHERE li.visit_id = ${column})`,
    repeatWindowMs: p.repeatWindowMs,
  };
}

/**
 * The key columns of a rollup table, its primary key: a level's rows of a period are one range
 * of it (rankings read them in key order; every part is in the clustered row), and a cadre
 * rollup's period is one range in cadre order, so a scorecard year's GROUP BY cadre streams. (Keyed
 * by cadre first, a year's rows were a scan of the whole table: ×100, 0.07 → 0.47 s; a stock over
 * several years' rows groups through a temporary table either way.)
 */
export function keyColumns(r: RollupDef): string[] {
  if (r.rows) return ['kind', 'level', 'received_at', 'fact_id', 'region_id'];
  return r.levels ? ['level', 'grain', 'period', 'region_id', ...r.dims.map((d) => d.column)] : ['grain', 'period', r.key!, ...r.dims.map((d) => d.column)];
}

/** Depth of a region level (COUNTY 0 … GROUP 3), as SQL over a level column. */
const depthSql = (column: string) => `CASE ${column} WHEN 'COUNTY' THEN 0 WHEN 'TOWNSHIP' THEN 1 WHEN 'VILLAGE' THEN 2 ELSE 3 END`;

/**
 * Creates a rollup's table from its definition (key columns, one BIGINT per part) and, for a
 * region rollup, the index a root's rows are read by. Rollup tables are derived data: a build
 * drops and recreates the table, so a definition with other parts is simply a new version.
 */
export async function createTable(m: Db, r: RollupDef, c: PartContext): Promise<void> {
  const d = dialectOf(m);
  const id = d.kind === 'mysql' ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : '';
  const cols = [
    ...(r.levels ? [`level VARCHAR(16) NOT NULL`, `region_id VARCHAR(64)${id} NOT NULL`] : [`${r.key} VARCHAR(64)${id} NOT NULL`]),
    `grain CHAR(1) NOT NULL`,
    `period VARCHAR(10) NOT NULL`,
    ...r.dims.map((x) => `${x.column} VARCHAR(64)${x.column.endsWith('_id') ? id : ''} NOT NULL`),
    ...partColumns(r, c).map((p) => `${p} BIGINT NOT NULL DEFAULT 0`),
  ];
  if (r.rows) {
    cols.splice(0, cols.length, `kind VARCHAR(16) NOT NULL`, `level VARCHAR(16) NOT NULL`, `region_id VARCHAR(64)${id} NOT NULL`, `fact_depth INT NOT NULL`, `fact_id VARCHAR(64)${id} NOT NULL`,
      ...r.rows.filter((x) => x.column !== 'kind').map((x) => `${x.column} ${x.type}${x.column === 'received_at' ? ' NOT NULL' : ''}`),
      ...r.dims.map((x) => `${x.column} VARCHAR(64)${x.column.endsWith('_id') ? id : ''} NOT NULL`));
  }
  // A root's rows by period (region rollups); a per-fact rollup's rows by fact (an import replaces them).
  const indexes: Array<[string, string[]]> = [];
  if (r.levels) indexes.push([`ix_${r.table}_root`, r.rows ? ['kind', 'region_id', 'received_at'] : ['region_id', 'grain', 'period']]);
  if (r.rows) indexes.push([`ix_${r.table}_fact`, ['fact_id']]);
  // A root's rows of facts recorded above a level (a query by region reads them for its null row).
  if (r.rows && r.levels) indexes.push([`ix_${r.table}_above`, ['kind', 'region_id', 'fact_depth', 'received_at']]);
  const inline = d.kind === 'mysql' ? indexes.map(([name, c]) => `, INDEX ${name} (${c.join(', ')})`).join('') : '';
  await m.query(`DROP TABLE IF EXISTS ${r.table}`);
  await m.query(`CREATE TABLE ${r.table} (${cols.join(', ')}, PRIMARY KEY (${keyColumns(r).join(', ')})${inline})`);
  if (d.kind !== 'mysql') for (const [name, c] of indexes) await m.query(`CREATE INDEX ${name} ON ${r.table} (${c.join(', ')})`);
}

/** The names of a rollup's parts (they do not depend on the configuration, only their SQL does). */
export function partNames(r: RollupDef): string[] {
  return r.parts({ slaMs: 0, festival: () => '1 = 0', linkedIssue: () => '1 = 0', repeatWindowMs: 0 }).map((p) => p.name);
}

export function partColumns(r: RollupDef, c: PartContext): string[] {
  return r.parts(c).map((p) => columnOf(p.name));
}

type Db = EntityManager;

const GRAINS: Grain[] = ['D', 'M', 'Y'];

/** Whether a rollup keeps a grain at a level (cadre rollups: `level` null). */
export function keeps(r: RollupDef, grain: Grain, level: RegionLevel | null): boolean {
  if (!r.grains) return true;
  const at = r.grains[grain];
  return at === 'all' || (at !== undefined && level !== null && at.includes(level));
}

/**
 * Adds (`sign` 1) or subtracts (−1) the parts of the fact rows meeting `cond` to every row of
 * the rollup they belong to: each (grain, period) of their local day, each ancestor region at
 * the rollup's levels (or their key), each combination of dims. One statement.
 */
export async function contribute(m: Db, r: RollupDef, cond: string, params: Record<string, unknown>, sign: 1 | -1, calendar: Calendar, p: RollupParams): Promise<void> {
  if (r.rows) return contributeRows(m, r, cond, params, sign);
  const day = (column: string) => localDaySql(column, p.zone, calendar, dialectOf(m));
  await addRows(m, r, cond, params, sign, day, rollupPartContext(calendar, p));
}

/** A per-fact rollup's contribution: its facts' rows deleted (−1) or inserted for every ancestor (+1). */
async function contributeRows(m: Db, r: RollupDef, cond: string, params: Record<string, unknown>, sign: 1 | -1): Promise<void> {
  if (sign < 0) {
    // The ids first: a DELETE … IN (subquery) is a scan of the whole table on MariaDB 10.
    const ids = (await query<{ id: string }>(m, { sql: `SELECT DISTINCT f.id FROM (${r.source(cond)}) f`, params })).map((x) => x.id);
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk: Record<string, unknown> = {};
      await run(m, { sql: `DELETE FROM ${r.table} WHERE fact_id IN (${inList('fact', ids.slice(i, i + ID_CHUNK), chunk)})`, params: chunk });
    }
    return;
  }
  const cols = r.rows!.map((x) => x.column);
  const dims = r.dims.map((d) => (d.none !== undefined ? `COALESCE(x.${d.column}, '${d.none}')` : `x.${d.column}`));
  await run(m, {
    sql: `INSERT INTO ${r.table} (level, region_id, fact_depth, fact_id, ${[...cols, ...r.dims.map((d) => d.column)].join(', ')})
SELECT c.ancestor_level, c.ancestor_id, ${depthSql('c.ancestor_level')} + c.distance, x.id, ${[...cols.map((c) => `x.${c}`), ...dims].join(', ')}
  FROM (${r.source(cond)}) x
  JOIN region_closure c ON c.descendant_id = x.region_id AND c.ancestor_level IN (${r.levels!.map((l) => `'${l}'`).join(', ')})`,
    params,
  });
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, mm] = month.split('-').map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}

async function addRows(m: Db, r: RollupDef, cond: string, params: Record<string, unknown>, sign: 1 | -1, localDay: (column: string) => string, c: PartContext): Promise<void> {
  const parts = r.parts(c);
  const day = r.atDay ? `f.${r.at}` : localDay(`f.${r.at}`);
  const value = (d: RollupDim) =>
    d.monthOf
      ? `COALESCE(SUBSTR(${localDay(`f.${d.monthOf}`)}, 1, 7), '')`
      : d.monthAfterDay
        ? `COALESCE(SUBSTR(${dialectOf(m).dayAfter(`f.${d.monthAfterDay}`)}, 1, 7), '${d.none ?? ''}')`
        : d.none !== undefined
          ? `COALESCE(f.${d.column}, '${d.none}')`
          : `f.${d.column}`;
  const dialect = dialectOf(m);
  const dims = r.dims.map((d) => (d.atLeastPeriod ? dialect.greatest(value(d), `SUBSTR(${day}, 1, 7)`) : d.atMostPeriod ? dialect.least(value(d), `SUBSTR(${day}, 1, 7)`) : value(d)));
  const kept = GRAINS.filter((g) => !r.grains || r.grains[g] !== undefined);
  const grains = dialectOf(m).rowsTable(['grain'], kept.map((g) => [`'${g}'`]));
  // Region rollups keep some grains at some levels only.
  const atLevels = kept
    .map((g) => (r.grains && r.grains[g] !== 'all' && r.grains[g] ? `(g.grain = '${g}' AND c.ancestor_level IN (${(r.grains[g] as RegionLevel[]).map((l) => `'${l}'`).join(', ')}))` : `g.grain = '${g}'`))
    .join(' OR ');
  const period = "CASE g.grain WHEN 'D' THEN x.day WHEN 'M' THEN SUBSTR(x.day, 1, 7) ELSE SUBSTR(x.day, 1, 4) END";
  // The facts are summed per local day, region (or key) and dims first: a grouped derived table
  // is materialised, so each fact's parts are evaluated once, not once per ancestor and grain
  // (MariaDB merges an ungrouped one into the join: ×3–6 the work, the repeat EXISTS included).
  const keys = ['day', r.levels ? 'region_id' : 'rkey', ...r.dims.map((_d, i) => `dim${i}`)];
  const inner = `SELECT ${keys.join(', ')}, ${parts.map((pt) => `SUM(${pt.name}) AS ${pt.name}`).join(', ')}
      FROM (SELECT ${day} AS day, ${r.levels ? 'f.region_id' : `f.${r.key} AS rkey`}${dims.map((d, i) => `, ${d} AS dim${i}`).join('')}, ${parts.map((pt) => `${pt.expr} AS ${pt.name}`).join(', ')}
              FROM (${r.source(cond)}) f${r.levels ? '' : ` WHERE f.${r.key} IS NOT NULL`}) y
     GROUP BY ${keys.join(', ')}`;
  // A year's row: a dim kept against the row's months is stored against January or December (the day's row within its month already).
  const dimCols = r.dims.map((d, i) =>
    kept.includes('Y') && (d.atLeastPeriod || d.atMostPeriod)
      ? `CASE WHEN g.grain = 'Y' THEN ${d.atLeastPeriod ? dialect.greatest(`x.dim${i}`, dialect.concat('SUBSTR(x.day, 1, 4)', "'-12'")) : dialect.least(`x.dim${i}`, dialect.concat('SUBSTR(x.day, 1, 4)', "'-01'"))} ELSE x.dim${i} END`
      : `x.dim${i}`,
  );
  let select: string;
  if (r.levels) {
    const levels = r.levels.map((l) => `'${l}'`).join(', ');
    select = `SELECT c.ancestor_id AS region_id, g.grain, ${period} AS period, c.ancestor_level AS level${dimCols.map((d) => `, ${d}`).join('')}, ${parts.map((pt) => `${sign} * SUM(x.${pt.name})`).join(', ')}
  FROM (${inner}) x
  JOIN region_closure c ON c.descendant_id = x.region_id AND c.ancestor_level IN (${levels})
  CROSS JOIN (${grains}) g
 WHERE ${atLevels}
 GROUP BY c.ancestor_id, g.grain, ${period}, c.ancestor_level${dimCols.map((d) => `, ${d}`).join('')}`;
  } else {
    select = `SELECT x.rkey, g.grain, ${period} AS period${dimCols.map((d) => `, ${d}`).join('')}, ${parts.map((pt) => `${sign} * SUM(x.${pt.name})`).join(', ')}
  FROM (${inner}) x
  CROSS JOIN (${grains}) g
 GROUP BY x.rkey, g.grain, ${period}${dimCols.map((d) => `, ${d}`).join('')}`;
  }
  const columns = [...(r.levels ? ['region_id', 'grain', 'period', 'level'] : [r.key!, 'grain', 'period']), ...r.dims.map((d) => d.column), ...parts.map((pt) => columnOf(pt.name))];
  const sql = dialectOf(m).upsertAdding(r.table, columns, keyColumns(r), parts.map((pt) => columnOf(pt.name)), select);
  await run(m, { sql, params });
}

/**
 * Empties a rollup and contributes every fact again, a month of `chunk` (a column of the base
 * fact table that `source` conditions may name) at a time, in the caller's transaction.
 */
export async function rebuild(m: Db, r: RollupDef, calendar: Calendar, p: RollupParams): Promise<void> {
  await createTable(m, r, rollupPartContext(calendar, p));
  if (r.rows) {
    // One statement per month of facts keeps each INSERT … SELECT short.
    const span = await chunkSpan(m, r);
    if (!span) return;
    for (let s = span.lo; s <= span.hi; s += 31 * 86_400_000) await contributeRows(m, r, `f.${r.chunk} >= ${s} AND f.${r.chunk} < ${s + 31 * 86_400_000}`, {}, 1);
    return;
  }
  const span = await chunkSpan(m, r);
  if (!span) return;
  const last = calendar.localDay(span.hi, p.zone).slice(0, 7);
  const chunked = r.chunkSource ? { ...r, source: r.chunkSource } : r;
  for (let month = calendar.localDay(span.lo, p.zone).slice(0, 7); month <= last; month = nextMonth(month)) {
    const s = calendar.startOfDay(`${month}-01`, p.zone);
    const e = calendar.startOfDay(`${nextMonth(month)}-01`, p.zone);
    await contribute(m, chunked, `f.${r.chunk} >= ${s} AND f.${r.chunk} < ${e}`, {}, 1, calendar, p);
  }
}

/** The first and last instant of `chunk` in the base fact table (null when it is empty): two index reads. */
async function chunkSpan(m: Db, r: RollupDef): Promise<{ lo: number; hi: number } | null> {
  const [span] = await query<{ lo: unknown; hi: unknown }>(m, { sql: `SELECT MIN(f.${r.chunk}) AS lo, MAX(f.${r.chunk}) AS hi FROM ${r.factTable} f`, params: {} });
  return span && span.lo !== null && span.lo !== undefined ? { lo: Number(span.lo), hi: Number(span.hi) } : null;
}

/** Contributions of the fact rows whose region lies in the subtree of one of `roots` (a region move: −1 before, +1 after). */
export async function contributeSubtrees(m: Db, r: RollupDef, roots: readonly string[], sign: 1 | -1, calendar: Calendar, p: RollupParams): Promise<void> {
  if (!r.levels || !roots.length) return;
  const params: Record<string, unknown> = {};
  await contribute(m, r, `f.region_id IN (SELECT mc.descendant_id FROM region_closure mc WHERE mc.ancestor_id IN (${inList('moved', roots, params)}))`, params, sign, calendar, p);
}

/** Contributions of the fact rows with these ids (`idColumn` of the source rows), in chunks. */
export async function contributeIds(m: Db, r: RollupDef, idColumn: string, ids: readonly string[], sign: 1 | -1, calendar: Calendar, p: RollupParams): Promise<void> {
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const params: Record<string, unknown> = {};
    await contribute(m, r, `f.${idColumn} IN (${inList('id', ids.slice(i, i + ID_CHUNK), params)})`, params, sign, calendar, p);
  }
}

/** Ids per contribution statement (well inside SQLite's 32,766 bound parameters). */
const ID_CHUNK = 2000;

async function run(m: Db, st: Statement): Promise<void> {
  const { sql, params } = render(st);
  await m.query(sql, params);
}

async function query<T>(m: Db, st: Statement): Promise<T[]> {
  const { sql, params } = render(st);
  return m.query(sql, params);
}
