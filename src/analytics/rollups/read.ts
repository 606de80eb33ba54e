import { periodIndexSql } from '../buckets';
import { addDays, Piece, pieceStart, piecesOf } from '../calendar';
import { columnOf } from '../measures/parts';
import { groupBy, inList, KEY_ALIAS, keyColumns, QueryPlan, Statement } from '../measures/query-plan';
import type { RegionLevel } from '../../domain/enums';
import { keeps, nextMonth, RollupDef } from './rollup';

/*
 * Reading a rollup for a query (rollup.ts says what it holds): each bucket is a set of pieces
 * — whole years, months and days, some subtracted (calendar.ts piecesOf) — and a statement sums
 * the pieces' rows into the bucket they belong to. The facts counted are the subtree of the
 * query's root (the region filter, else the scope, else every top region): with REGION each
 * region of the level inside the root gives its own rows, and the facts under no region of the
 * level (recorded above it) are the root's rows minus the level's: the null row.
 */

/** A bucket's pieces (`before`: every year before this one, for a stock's running total). */
export interface BucketPieces {
  pieces: Piece[];
  before?: string;
}

/** A piece that starts after the last fact has no rows: it is not read. */
const withFacts = (ps: Piece[], lastFactDay: string) => ps.filter((p) => pieceStart(p) <= lastFactDay);

/** The pieces of each bucket of a cohort query (facts inside the bucket ∩ range). */
export function cohortPieces(plan: QueryPlan, lastFactDay: string): BucketPieces[] {
  const n = plan.buckets.length;
  return plan.buckets.map((b, i) => ({ pieces: withFacts(piecesOf(b.firstDate, b.lastDate, i === 0, i === n - 1, lastFactDay), lastFactDay) }));
}

/** Whether a rollup keeps every grain the pieces read at every level read (the root's and, with REGION, the level's). */
export function readable(r: RollupDef, buckets: readonly BucketPieces[], levels: ReadonlyArray<RegionLevel | null>): boolean {
  const grains = new Set(buckets.flatMap((b) => [...b.pieces.map((p) => p.grain), ...(b.before ? ['Y' as const] : [])]));
  if (r.rows) return levels.every((l) => l !== null && r.levels!.includes(l));
  return [...grains].every((g) => levels.every((l) => keeps(r, g, l) && (l === null || r.levels!.includes(l))));
}

/**
 * The pieces of each bucket of a stock (BACKLOG): the changes after the previous bucket's
 * stock day up to and including this bucket's (the first bucket: every change up to its day),
 * so the running sum of the buckets is the stock at each one.
 */
export function stockPieces(plan: QueryPlan, days: readonly string[], lastFactDay: string): BucketPieces[] {
  return days.map((day, i) => {
    if (i > 0 && day <= days[i - 1]) return { pieces: [] };
    const from = i === 0 ? `${day.slice(0, 4)}-01-01` : addDays(days[i - 1], 1);
    const pieces = withFacts(piecesOf(from, day, i === 0, i === days.length - 1, lastFactDay), lastFactDay);
    return i === 0 ? { pieces, before: day.slice(0, 4) } : { pieces };
  });
}

/** Which bucket a rollup row belongs to and its sign, as SQL on `f.grain` and `f.period`. */
function pieceKeys(all: BucketPieces[], params: Record<string, unknown>): { where: string; index: string; sign: string | null } {
  type Entry = { period: string; i: number };
  const byGrain = new Map<string, Entry[]>();
  const negative: Piece[] = [];
  const before: Array<{ year: string; i: number }> = [];
  all.forEach((b, i) => {
    for (const p of b.pieces) {
      if (!byGrain.has(p.grain)) byGrain.set(p.grain, []);
      byGrain.get(p.grain)!.push({ period: p.period, i });
      if (p.sign < 0) negative.push(p);
    }
    if (b.before) before.push({ year: b.before, i });
  });
  const where: string[] = [];
  const cases: string[] = [];
  for (const [grain, entries] of byGrain) {
    entries.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    where.push(`(f.grain = '${grain}' AND f.period IN (${inList(`pc${grain}`, entries.map((e) => e.period), params)}))`);
    // Balanced on the sorted periods (each period belongs to one bucket; only listed periods get here).
    const build = (lo: number, hi: number): string => {
      if (entries[lo].i === entries[hi].i) return String(entries[lo].i);
      const mid = (lo + hi + 1) >> 1;
      return `CASE WHEN f.period < '${entries[mid].period}' THEN ${build(lo, mid - 1)} ELSE ${build(mid, hi)} END`;
    };
    cases.push(`WHEN '${grain}' THEN ${build(0, entries.length - 1)}`);
  }
  for (const b of before) {
    // Every year before the first bucket's: the stock carried into it (dates from luxon: digits only).
    where.push(`(f.grain = 'Y' AND f.period < '${b.year}')`);
  }
  const yearCase = byGrain.has('Y') ? null : before.length ? `WHEN 'Y' THEN ${before[0].i}` : null;
  if (yearCase) cases.push(yearCase);
  let index = cases.length ? `CASE f.grain ${cases.join(' ')} END` : '0';
  if (byGrain.has('Y') && before.length) {
    // A year listed as a piece and every year before the first bucket's: those are bucket 0.
    index = `CASE WHEN f.grain = 'Y' AND f.period < '${before[0].year}' THEN ${before[0].i} ELSE ${index} END`;
  }
  const sign = negative.length
    ? `CASE WHEN ${[...new Set(negative.map((p) => p.grain))]
        .map((g) => `(f.grain = '${g}' AND f.period IN (${negative.filter((p) => p.grain === g).map((p) => `'${p.period}'`).join(', ')}))`)
        .join(' OR ')} THEN -1 ELSE 1 END`
    : null;
  return { where: where.length ? `(${where.join(' OR ')})` : '1 = 0', index, sign };
}

/**
 * A family's statements on rollup `r`: keys, then `SUM(part)` for each of `parts` (their names),
 * over the pieces of each bucket. A cell whose facts number 0 (r.count) gives no row, as the raw
 * families give none: no null-region row without facts, no category or department a fact left.
 * By REGION the count is read too (placedRows: the null-region cell is worked out by the engine).
 */
export function readRollup(plan: QueryPlan, r: RollupDef, parts: readonly string[], buckets: BucketPieces[]): Statement[] {
  const params: Record<string, unknown> = {};
  const pk = pieceKeys(buckets, params);
  const signed = (p: string) => `SUM(${pk.sign ? `${pk.sign} * ` : ''}f.${columnOf(p)})`;
  const sum = (p: string) => `${signed(p)} AS ${p}`;
  const counted = `${signed(r.count)} <> 0`;
  const dimWhere: string[] = [];
  if (plan.categories) dimWhere.push(`f.category IN (${inList('cat', plan.categories, params)})`);
  if (plan.channels) dimWhere.push(`f.channel IN (${inList('chan', plan.channels, params)})`);
  if (plan.departmentIds) dimWhere.push(`f.department_id IN (${inList('dep', plan.departmentIds, params)})`);
  const dims = {
    PERIOD: pk.index,
    DEPARTMENT: "NULLIF(f.department_id, '')",
    CATEGORY: 'f.category',
    CHANNEL: 'f.channel',
    CADRE: 'f.cadre_id',
  };
  const filters = [pk.where, ...dimWhere];
  if (!r.levels) {
    // Keyed by cadre: every cadre's rows (the whole county; only an unscoped query gets here).
    if (plan.cadreIds) filters.push(`f.cadre_id IN (${inList('cadre', plan.cadreIds, params)})`);
    const keys = keyColumns(plan, dims);
    return [{ sql: `SELECT ${[...keys.select, ...parts.map(sum)].join(', ')}\n  FROM ${r.table} f\n WHERE ${filters.join(' AND ')}\n ${groupBy(inIndexOrder(keys.group, pk))}\n HAVING ${counted}`, params }];
  }
  const read = plan.dims.has('REGION') ? [...new Set([...parts, r.count])] : parts;
  return placedRows(plan, r, filters.join(' AND '), params).map(({ from, region, byRegion }) => {
    const keys = keyColumns(plan, { ...dims, ...(region ? { REGION: region } : {}) });
    return { sql: `SELECT ${[...keys.select, ...read.map(sum)].join(', ')}\n  ${from}\n ${groupBy(inIndexOrder(keys.group, pk))}\n HAVING ${counted}`, params, byRegion };
  });
}

/**
 * The GROUP BY of a rollup read: a bucket of pieces that are all added is grouped by the rows'
 * own grain and period instead of the bucket (several rows of a cell, summed by the engine), so
 * the rows group in the table's key order as they are read, without a temporary table (×10,
 * PAIRED_COVERAGE by township × month: a third of the time). A bucket that takes pieces away is
 * grouped whole: its pieces' rows alone may sum to nothing where the bucket does not, or the reverse.
 */
function inIndexOrder(group: readonly string[], pk: { sign: string | null }): string[] {
  return group.filter((g) => g !== 'NULL').map((g) => (g === KEY_ALIAS.PERIOD && pk.sign === null ? 'f.grain, f.period' : g));
}

/**
 * Where the rows of region rollup `r` meeting `where` that a query counts come from, as FROM
 * clauses on the table itself (alias f). The facts counted are the subtree of the query's root
 * (the region filter, else the scope, else every top region): without REGION the root's rows;
 * with REGION each region of the level inside the root gives its own rows (`byRegion` 'level'),
 * and the root's rows (`byRegion` 'root') less all of those are the facts under no region of the
 * level, the null row: the engine takes each level row away from it (metrics.service mergeRows).
 * Two plain reads, each in the table's key order, instead of a union of three materialised first.
 */
function placedRows(plan: QueryPlan, r: RollupDef, where: string, params: Record<string, unknown>): Array<{ from: string; region: string | null; byRegion?: 'level' | 'root' }> {
  const root = plan.filterRoot ?? plan.scopeRoot;
  if (root !== null) params.p_root = root;
  const rootRows = root !== null ? `FROM ${r.table} f\n WHERE f.region_id = :p_root AND ${where}` : `FROM ${r.table} f JOIN regions tr ON tr.id = f.region_id AND tr.parent_id IS NULL\n WHERE ${where}`;
  if (!plan.dims.has('REGION')) return [{ from: rootRows, region: null }];
  params.p_level = plan.regionLevel;
  // The level's rows: one range of the (level, grain, period, …) key per period read.
  const levelRows = `FROM ${r.table} f${root !== null ? ' JOIN region_closure rf ON rf.descendant_id = f.region_id AND rf.ancestor_id = :p_root' : ''}\n WHERE f.level = :p_level AND ${where}`;
  return [
    { from: levelRows, region: 'f.region_id', byRegion: 'level' },
    { from: rootRows, region: 'NULL', byRegion: 'root' },
  ];
}

/** The first day of the earliest piece of any bucket (for diagnostics and tests). */
export function firstPieceDay(buckets: BucketPieces[]): string | null {
  const days = buckets.flatMap((b) => b.pieces.map(pieceStart));
  return days.length ? days.sort()[0] : null;
}

const DEPTH: Record<string, number> = { COUNTY: 0, TOWNSHIP: 1, VILLAGE: 2, GROUP: 3 };

/**
 * The durations of a query's cohort from the per-fact durations rollup (definitions.ts
 * DURATIONS_ROLLUP): every value of `kinds` with its cell's keys and kind (`m`), as the raw
 * durations statement gives them, for the issues whose stored state is valid at asOf (the
 * others are added as of asOf by the raw statement with `late`). With REGION, a level's rows
 * give its regions' values; the root's rows of facts recorded above the level (or all of them,
 * when the level is above the root) give the null row's.
 */
export function readDurations(plan: QueryPlan, r: RollupDef, kinds: readonly string[], topRegions: readonly string[]): Statement[] {
  const params: Record<string, unknown> = {};
  const asOf = Math.trunc(plan.asOfMs);
  const where = [
    `f.kind IN (${inList('kind', kinds, params)})`,
    `f.received_at >= ${plan.startMs} AND f.received_at < ${plan.endMs} AND f.received_at <= ${asOf}`,
    `(f.state_changed_at IS NULL OR f.state_changed_at <= ${asOf})`,
  ];
  if (plan.categories) where.push(`f.category IN (${inList('cat', plan.categories, params)})`);
  if (plan.channels) where.push(`f.channel IN (${inList('chan', plan.channels, params)})`);
  if (plan.departmentIds) where.push(`f.department_id IN (${inList('dep', plan.departmentIds, params)})`);
  const root = plan.filterRoot ?? plan.scopeRoot;
  if (root !== null) params.p_root = root;
  // The root's rows by its id (the top regions' when unscoped), so its index ranges are used.
  const rootRows = `FROM ${r.table} f WHERE f.region_id IN (${root !== null ? ':p_root' : topRegions.length ? inList('top', topRegions, params) : 'NULL'}) AND ${where.join(' AND ')}`;
  const dims = {
    PERIOD: periodIndexSql('f.received_at', plan.buckets),
    DEPARTMENT: "NULLIF(f.department_id, '')",
    CATEGORY: 'f.category',
    CHANNEL: 'f.channel',
  };
  // Each part is its own statement straight on the table (a UNION of them is materialised
  // first: ×10, 2.5 times as long), its rows streamed in the table's order.
  const statement = (region: string | null, from: string): Statement => {
    const keys = keyColumns(plan, { ...dims, ...(region !== null ? { REGION: region } : plan.dims.has('REGION') ? { REGION: 'NULL' } : {}) });
    return { sql: `SELECT ${[...keys.select, 'f.kind AS m', 'f.v'].join(', ')}\n  ${from}`, params };
  };
  if (!plan.dims.has('REGION')) return [statement(null, rootRows)];
  params.p_level = plan.regionLevel;
  const depth = DEPTH[plan.regionLevel!];
  const levelRows = `FROM ${r.table} f${root !== null ? ' JOIN region_closure rf ON rf.descendant_id = f.region_id AND rf.ancestor_id = :p_root' : ''} WHERE f.level = :p_level AND ${where.join(' AND ')}`;
  // Facts above the level: those recorded above it (ix_rollup_durations_above), or every fact when the root lies below it.
  const deeper = Object.entries(DEPTH).filter(([, d]) => d > depth).map(([l]) => `'${l}'`);
  return [
    statement('f.region_id', levelRows),
    statement(null, `${rootRows} AND f.fact_depth < ${depth}`),
    ...(deeper.length ? [statement(null, `${rootRows} AND f.level IN (${deeper.join(', ')})`)] : []),
  ];
}

/** A bucket of whole local months: its first and last month ('YYYY-MM'). */
export interface MonthSpan {
  first: string;
  last: string;
}

/**
 * Each bucket's months when every bucket ∩ range is whole local months (the coverage rollup
 * knows no days), but that the first may start inside its month (`partialStart`: the days before
 * it are taken away or its own days added, households.measures.ts coverageEdge) and the last may end inside its month
 * (`partialEnd`: its months count only when no visit lies after the range in that month).
 */
export function wholeMonths(plan: QueryPlan): { months: MonthSpan[]; partialStart: boolean; partialEnd: boolean } | null {
  const months: MonthSpan[] = [];
  let [partialStart, partialEnd] = [false, false];
  for (const [i, b] of plan.buckets.entries()) {
    if (!b.firstDate.endsWith('-01')) {
      if (i > 0) return null;
      partialStart = true;
    }
    if (!addDays(b.lastDate, 1).endsWith('-01')) {
      if (i < plan.buckets.length - 1) return null;
      partialEnd = true;
    }
    months.push({ first: b.firstDate.slice(0, 7), last: b.lastDate.slice(0, 7) });
  }
  return { months, partialStart, partialEnd };
}

/**
 * VISIT_COVERAGE's households visited per cell from the coverage rollup (definitions.ts
 * COVERAGE_ROLLUP), as the households family's 'coveredHousehold' branch gives them: a bucket
 * of months m…n sums its months' rows whose household's previous visit is before m.
 */
export function readCoverage(plan: QueryPlan, r: RollupDef, months: readonly MonthSpan[], out: BranchOut = 'coveredHousehold'): Statement[] {
  return readBranch(plan, r, out, monthsWhere(r, months, (first) => `f.prev_month < ${first}`), monthIndex(months));
}

/**
 * PAIRED_COVERAGE's covered pairings per cell from the paired-coverage rollup (definitions.ts
 * PAIRED_COVERAGE_ROLLUP), as the pairings family's 'covered' branch gives them: a bucket of
 * months m…n sums its months' rows whose pairing's previous visit is before m, that started by n
 * and is still active on n's last day (the engine checks that no pairing starts or ends between
 * a range's last day and its month's).
 */
export function readPairedCoverage(plan: QueryPlan, r: RollupDef, months: readonly MonthSpan[]): Statement[] {
  const bucket = (first: string, last: string) => `f.prev_month < ${first} AND f.start_month <= ${last} AND f.end_month > ${last}`;
  return readBranch(plan, r, 'covered', monthsWhere(r, months, bucket), monthIndex(months));
}

/**
 * The rows of month rollup `r` for buckets of whole months m…n meeting `cond(m, n)` (SQL on f,
 * the months quoted): the one-month buckets in one condition on the row's own month,
 * `cond(f.period, f.period)` (a trend by month compares columns instead of testing a disjunct
 * per month), the others one disjunct each, reading a whole year's row where `r` keeps years.
 * Months from luxon: digits and a dash.
 */
function monthsWhere(r: RollupDef, months: readonly MonthSpan[], cond: (first: string, last: string) => string): string {
  const single = months.filter((m) => m.first === m.last);
  const terms = months.filter((m) => m.first !== m.last).map((m) => `(${bucketRows(m, r.grains?.Y !== undefined)} AND ${cond(`'${m.first}'`, `'${m.last}'`)})`);
  if (single.length) terms.push(`(f.grain = 'M' AND f.period IN (${single.map((m) => `'${m.first}'`).join(', ')}) AND ${cond('f.period', 'f.period')})`);
  return `(${terms.join(' OR ')})`;
}

/** A bucket's rows of a month rollup: its months', or (`yearly`) its whole years' and its other months'. */
function bucketRows(m: MonthSpan, yearly: boolean): string {
  if (!yearly) return `f.grain = 'M' AND f.period >= '${m.first}' AND f.period <= '${m.last}'`;
  const [years, rest]: [string[], string[]] = [[], []];
  for (let month = m.first; month <= m.last; ) {
    const year = month.slice(0, 4);
    if (month.endsWith('-01') && `${year}-12` <= m.last) {
      years.push(`'${year}'`);
      month = `${Number(year) + 1}-01`;
    } else {
      rest.push(`'${month}'`);
      month = nextMonth(month);
    }
  }
  const terms = [...(years.length ? [`(f.grain = 'Y' AND f.period IN (${years.join(', ')}))`] : []), ...(rest.length ? [`(f.grain = 'M' AND f.period IN (${rest.join(', ')}))`] : [])];
  return `(${terms.join(' OR ')})`;
}

/**
 * The bucket of a rollup row of buckets of whole months, as SQL on f.period (months from luxon:
 * digits and a dash; a year's row 'YYYY' sorts just before its January, so it falls in the bucket
 * holding that January, which holds its whole year).
 */
const monthIndex = (months: readonly MonthSpan[]) =>
  months.length === 1 ? '0' : `CASE ${months.slice(0, -1).map((m, i) => `WHEN f.period <= '${m.last}' THEN ${i}`).join(' ')} ELSE ${months.length - 1} END`;

/** The households in scope from the household-count rollup (HOUSEHOLD_COUNT_ROLLUP), as the households family's stock branch gives them (in the first bucket). */
export function readHouseholdCount(plan: QueryPlan, r: RollupDef): Statement[] {
  return readBranch(plan, r, 'households', "f.grain = 'Y'", '0');
}

/**
 * A stock on each bucket's last day from a rollup of the days things start and end on, as changes
 * per bucket of branch `part` (summed along the buckets by the engine): the `[started, ended]`
 * parts' sums, the started ones up to each bucket's last day (`startedUpTo`: stockPieces of those
 * days) minus the ended ones up to the day before it (`endedUpTo`). PAIRED_HOUSEHOLD_RATE's
 * households paired (definitions.ts PAIRED_HOUSEHOLDS_ROLLUP, branch 'pairedDelta') and
 * PAIRED_COVERAGE's active pairings (PAIRINGS_ROLLUP, 'active').
 */
export function readStock(plan: QueryPlan, r: RollupDef, part: string, [started, ended]: readonly [string, string], startedUpTo: BucketPieces[], endedUpTo: BucketPieces[]): Statement[] {
  return [...stockBranch(plan, r, part, started, startedUpTo, 1), ...stockBranch(plan, r, part, ended, endedUpTo, -1)];
}

/** A stock's changes per bucket as a branch: `sign` × the sums of a rollup part over each bucket's pieces. */
function stockBranch(plan: QueryPlan, r: RollupDef, part: string, name: string, buckets: BucketPieces[], sign: 1 | -1): Statement[] {
  const params: Record<string, unknown> = {};
  const pk = pieceKeys(buckets, params);
  const n = `SUM(${pk.sign ? `${pk.sign} * ` : ''}f.${columnOf(name)})`;
  return branchRows(plan, r, pk.where, params).map(({ from, dims, byRegion }) => {
    const keys = keyColumns(plan, { PERIOD: pk.index, ...dims });
    return {
      sql: `SELECT ${[`'${part}' AS part`, ...keys.select, `${sign < 0 ? '-' : ''}${n} AS n`].join(', ')}
  ${from}
 ${groupBy(inIndexOrder(keys.group, pk))}
 HAVING ${n} <> 0`,
      params,
      byRegion,
    };
  });
}

/**
 * The visits recorded outside their household's region in months `first`…`last` (the coverage
 * rollup's misplacedVisits), anywhere: one sum over the top regions' rows (`n`).
 */
export function misplacedVisits(r: RollupDef, first: string, last: string): Statement {
  return {
    sql: `SELECT SUM(f.misplaced_visits) AS n FROM ${r.table} f JOIN regions tr ON tr.id = f.region_id AND tr.parent_id IS NULL WHERE f.grain = 'M' AND f.period >= :p_first AND f.period <= :p_last`,
    params: { p_first: first, p_last: last },
  };
}

/**
 * What a branch read gives: a branch of the households or pairings family (its `part`), or a part
 * of another family as a column (HOUSEHOLDS_VISITED: the visits family's `householdsVisited`,
 * from the coverage rollup where every visit of the months read is recorded in its household's
 * region — metrics.service householdsVisited).
 */
type BranchOut = string | { column: string };

/**
 * A branch of the households or pairings family (rows `part`, keys, `n`) from a rollup's single
 * part — or a part of another family (`column`: rows of keys and that column) —: the rows meeting
 * `where` (on f.grain, f.period and the dims), summed into the bucket `index` (SQL on f.period) gives.
 */
function readBranch(plan: QueryPlan, r: RollupDef, out: BranchOut, where: string, index: string): Statement[] {
  const params: Record<string, unknown> = {};
  const n = `SUM(f.${columnOf(r.count)})`;
  const [label, sum] = typeof out === 'string' ? [[`'${out}' AS part`], `${n} AS n`] : [[], `${n} AS ${out.column}`];
  return branchRows(plan, r, where, params).map(({ from, dims, byRegion }) => {
    const keys = keyColumns(plan, { PERIOD: index, ...dims });
    return {
      sql: `SELECT ${[...label, ...keys.select, sum].join(', ')}
  ${from}
 ${groupBy(inIndexOrder(keys.group, { sign: null }))}
 HAVING ${n} <> 0`,
      params,
      byRegion,
    };
  });
}

/**
 * Where the rows of rollup `r` meeting `where` that a branch counts come from, and the keys they
 * give: the regions placed as readRollup's (placedRows), or by cadre (a cadre rollup: the whole
 * county; only an unscoped query gets here).
 */
function branchRows(plan: QueryPlan, r: RollupDef, where: string, params: Record<string, unknown>): Array<{ from: string; dims: Record<string, string>; byRegion?: 'level' | 'root' }> {
  if (r.levels) return placedRows(plan, r, where, params).map(({ from, region, byRegion }) => ({ from, dims: region ? { REGION: region } : ({} as Record<string, string>), byRegion }));
  const cadres = plan.cadreIds ? ` AND f.${r.key} IN (${inList('cadre', plan.cadreIds, params)})` : '';
  return [{ from: `FROM ${r.table} f\n WHERE ${where}${cadres}`, dims: { CADRE: `f.${r.key}` } }];
}
