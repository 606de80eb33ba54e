import type { Dialect } from '../../database/dialect';
import type { HouseholdTag, IssueCategory, IssueChannel, RegionLevel } from '../../domain/enums';
import type { Dimension, Measure } from '../analytics.enums';
import type { Bucket } from '../calendar';
import type { PartContext } from './parts';

/** Everything a measure family needs to build its one SQL statement (validated already). */
export interface QueryPlan {
  dialect: Dialect;
  dims: ReadonlySet<Dimension>;
  regionLevel: RegionLevel | null;
  buckets: Bucket[];
  asOfMs: number;
  /** Instants of the whole range: [startMs, endMs). */
  startMs: number;
  endMs: number;
  scopeRoot: string | null;
  filterRoot: string | null;
  categories: IssueCategory[] | null;
  channels: IssueChannel[] | null;
  cadreIds: string[] | null;
  departmentIds: string[] | null;
  /** Households carrying every one of these tags (VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE, HOUSEHOLDS_VISITED, PAIRED_COVERAGE). */
  householdTags: HouseholdTag[] | null;
  slaMs: number;
  /** REPEAT_WINDOW_DAYS in ms. */
  repeatWindowMs: number;
  /** Festival windows as instants [start, end) in the query zone, those meeting the range. */
  festivalRanges: Array<[number, number]>;
  /** The measures asked for, so a family can leave out the parts no requested measure reads. */
  measures: ReadonlySet<Measure>;
}

/** A statement with named parameters `:p_name` (rendered to `?` in order of appearance). */
export interface Statement {
  sql: string;
  params: Record<string, unknown>;
  /**
   * A region rollup read by REGION (rollups/read.ts placedRows): 'level', the level's regions'
   * rows, each also taken away from the null-region cell of its key; 'root', the root's rows, in
   * the null-region cell. What is left there are the facts under no region of the level; a
   * null-region cell that only these gave and that sums to nothing is no row.
   */
  byRegion?: 'level' | 'root';
}

/** Key columns of a result row, one per dimension (aliases read back by the service). */
export const KEY_ALIAS: Record<Dimension, string> = {
  PERIOD: 'k_period',
  REGION: 'k_region',
  CADRE: 'k_cadre',
  DEPARTMENT: 'k_department',
  CATEGORY: 'k_category',
  CHANNEL: 'k_channel',
};

/** Renders named parameters to positional `?` (each occurrence pushes its value, so reuse is safe). */
export function render(st: Statement): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = st.sql.replace(/:(p_[A-Za-z0-9_]+)/g, (_m, name: string) => {
    if (!(name in st.params)) throw new Error(`metrics SQL: no value for :${name}`);
    params.push(st.params[name]);
    return '?';
  });
  return { sql, params };
}

/** Named parameters for a list (`IN (:p_x0, :p_x1)`), merged into `params`. */
export function inList(name: string, values: readonly unknown[], params: Record<string, unknown>): string {
  return values
    .map((v, i) => {
      params[`p_${name}${i}`] = v;
      return `:p_${name}${i}`;
    })
    .join(', ');
}

/** The derived table of buckets, as a CTE body: i (index), period, s, e (instants), ld (last local date). */
export function bucketsSql(plan: QueryPlan): string {
  const lit = (s: string | null) => (s === null ? 'NULL' : `'${s}'`); // dates from luxon: digits and dashes only
  return plan.dialect.rowsTable(
    ['i', 'period', 's', 'e', 'ld'],
    plan.buckets.map((b, i) => [String(i), lit(b.period), String(b.startMs), String(b.endMs), lit(b.lastDate)]),
  );
}

/**
 * Joins that place a fact: the scope and the regionId filter (inner joins on region_closure,
 * so facts outside the subtree drop out) and, with REGION, the ancestor at the level (a LEFT
 * join: a fact recorded above the level keeps a null region).
 */
export function regionJoins(plan: QueryPlan, regionColumn: string, params: Record<string, unknown>): string {
  const joins: string[] = [];
  if (plan.scopeRoot !== null) {
    params.p_scope = plan.scopeRoot;
    joins.push(`JOIN region_closure sc ON sc.descendant_id = ${regionColumn} AND sc.ancestor_id = :p_scope`);
  }
  if (plan.filterRoot !== null) {
    params.p_root = plan.filterRoot;
    joins.push(`JOIN region_closure rf ON rf.descendant_id = ${regionColumn} AND rf.ancestor_id = :p_root`);
  }
  if (plan.dims.has('REGION')) {
    params.p_level = plan.regionLevel;
    // The level's ancestor must itself lie inside the scope and the filter (no deeper than their
    // roots, counted from the fact): a region above them is never named, its facts go to null.
    const inside = [plan.scopeRoot !== null ? ' AND rl.distance <= sc.distance' : '', plan.filterRoot !== null ? ' AND rl.distance <= rf.distance' : ''].join('');
    // The level's closure rows as a grouped derived table (one per region, at most one ancestor
    // per level): MariaDB materializes it once and probes it in memory per fact, a quarter cheaper
    // than an index probe of region_closure per fact (visits × month at demo ×10).
    joins.push(
      `LEFT JOIN (SELECT c.descendant_id, MAX(c.ancestor_id) AS ancestor_id, MAX(c.distance) AS distance FROM region_closure c WHERE c.ancestor_level = :p_level GROUP BY c.descendant_id) rl
    ON rl.descendant_id = ${regionColumn}${inside}`,
    );
  }
  return joins.join('\n');
}

/**
 * SELECT-list key expressions and the matching GROUP BY list for the requested dimensions.
 * PERIOD is a bucket index (the service maps it to the bucket's start date), grouped by its
 * alias so its long CASE is written once.
 */
export function keyColumns(plan: QueryPlan, exprs: Partial<Record<Dimension, string>>): { select: string[]; group: string[] } {
  const select: string[] = [];
  const group: string[] = [];
  const all: Partial<Record<Dimension, string>> = { REGION: 'rl.ancestor_id', ...exprs };
  for (const d of ['PERIOD', 'REGION', 'CADRE', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'] as Dimension[]) {
    if (!plan.dims.has(d)) continue;
    const e = all[d];
    if (!e) throw new Error(`metrics SQL: no key expression for ${d}`);
    select.push(`${e} AS ${KEY_ALIAS[d]}`);
    group.push(d === 'PERIOD' ? KEY_ALIAS[d] : e);
  }
  return { select, group };
}

/** The instants of the whole range, and asOf, as a condition on an instant column. */
export const inRange = (plan: QueryPlan, column: string) =>
  `${column} >= ${plan.startMs} AND ${column} < ${plan.endMs} AND ${column} <= ${plan.asOfMs}`;

/** The facts a raw statement counts (family.ts RawOptions): the range up to asOf, or a correction's window. */
export const factWindow = (plan: QueryPlan, column: string, o: { after?: number; before?: number } = {}) =>
  o.after === undefined ? inRange(plan, column) : `${column} > ${Math.trunc(o.after)} AND ${column} < ${Math.trunc(o.before ?? plan.endMs)} AND ${column} >= ${plan.startMs}`;

/** The part context of a query: its SLA and its festival windows as instants in the query zone. */
export function partContextOf(plan: QueryPlan): PartContext {
  return {
    slaMs: plan.slaMs,
    festival: (column) => (plan.festivalRanges.length ? `(${plan.festivalRanges.map(([s, e]) => `(${column} >= ${s} AND ${column} < ${e})`).join(' OR ')})` : '1 = 0'),
    // The visits family left-joins the visits that raised an issue by asOf as `lv` (visits.measures.ts).
    linkedIssue: () => 'lv.visit_id IS NOT NULL',
    repeatWindowMs: plan.repeatWindowMs,
  };
}

/** `GROUP BY …` or nothing (a single cell when no dimension is asked for). */
export const groupBy = (group: string[]) => (group.length ? `GROUP BY ${group.join(', ')}` : '');

/** `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`: how many rows meet a condition. */
export const countIf = (cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
