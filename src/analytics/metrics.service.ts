import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { dialectOf } from '../database/dialect';
import { analyticsQuery } from '../database/replica-reads';
import type { Scope } from '../domain/access';
import { HouseholdTag, HouseholdTags, IssueCategories, IssueCategory, IssueChannel, IssueChannels, RegionLevel, RegionLevels } from '../domain/enums';
import { badInput, notFound, UserError } from '../domain/errors';
import { Dimension, Dimensions, Granularities, Granularity, Measure, Measures } from './analytics.enums';
import { addDays, Bucket, Calendar, countDays } from './calendar';
import { CATALOGUE, FAMILIES, MeasureDefinition, MetricValueData, Parts } from './catalogue';
import type { FamilyId } from './measures/family';
import { coverageEdge } from './measures/households.measures';
import { pairedEdge } from './measures/pairings.measures';
import { backlogByInstants, durationKinds, DurationId, DURATIONS } from './measures/issues.measures';
import { FAMILY_PARTS } from './measures/parts';
import { KEY_ALIAS, QueryPlan, render, Statement } from './measures/query-plan';
import {
  BACKLOG_CUBE_ROLLUP,
  BACKLOG_ROLLUP,
  COVERAGE_ROLLUP,
  DURATIONS_ROLLUP,
  HOUSEHOLD_COUNT_ROLLUP,
  PAIRED_COVERAGE_ROLLUP,
  CADRE_PAIRED_COVERAGE_ROLLUP,
  PAIRED_HOUSEHOLDS_ROLLUP,
  PAIRINGS_ROLLUP,
  CADRE_PAIRINGS_ROLLUP,
  CADRE_SATISFACTION_ROLLUP,
  CADRE_VISITS_ROLLUP,
  ISSUES_CUBE_ROLLUP,
  ISSUES_ROLLUP,
  SATISFACTION_ROLLUP,
  VISITS_ROLLUP,
} from './rollups/definitions';
import { BucketPieces, cohortPieces, misplacedVisits, MonthSpan, readable, readCoverage, readDurations, readHouseholdCount, readPairedCoverage, readRollup, readStock, stockPieces, wholeMonths } from './rollups/read';
import { keeps, nextMonth, partNames, RollupDef } from './rollups/rollup';
import { Rollups } from './rollups/rollups';

export type { MetricValueData } from './catalogue';

export interface MetricsQueryArgs {
  measures: Measure[];
  dimensions?: Dimension[];
  regionLevel?: RegionLevel;
  granularity?: Granularity;
  /** 'YYYY-MM-DD' inclusive local dates. */
  from: string;
  to: string;
  timeZone?: string;
  asOf?: Date;
  regionId?: string;
  categories?: IssueCategory[];
  channels?: IssueChannel[];
  cadreIds?: string[];
  departmentIds?: string[];
  householdTags?: HouseholdTag[];
}

export interface MetricsRowData {
  period: string | null;
  regionId: string | null;
  cadreId: string | null;
  departmentId: string | null;
  category: IssueCategory | null;
  channel: IssueChannel | null;
  values: MetricValueData[];
}

export interface MetricsResultData {
  rows: MetricsRowData[];
  dataAsOf: Date;
  /** True when a daily rollup answered a measure family (src/analytics/rollups); the numbers are the same. */
  servedByRollup: boolean;
  /** The rollup tables read, sorted (diagnostics and tests; not in the API). */
  rollupsRead: string[];
}

const HOUR_MS = 3_600_000;
/** Dimensions whose rows come from the values found in the data (not a fixed grid). */
const DATA_DIMS = ['CADRE', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'] as const;
type DataDim = (typeof DATA_DIMS)[number];
/** Upper bound of distinct values per data dimension for the cell estimate (ids: unknown, 1). */
const ENUM_SIZE: Record<DataDim, number> = { CADRE: 1, DEPARTMENT: 1, CATEGORY: IssueCategories.values.length, CHANNEL: IssueChannels.values.length };
const ISSUE_FILTERS = ['categories', 'channels', 'departmentIds'] as const;
const PEOPLE_FILTERS = ['cadreIds'] as const;
/** The measures `householdTags` applies to (metrics.md). */
const HOUSEHOLD_TAG_MEASURES = new Set<Measure>(['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'HOUSEHOLDS_VISITED', 'PAIRED_COVERAGE']);

type Cell = Record<string, number>;
/** A cell's keys: period, region, cadre, department, category, channel (null where absent). */
export type CellKey = [period: string | null, region: string | null, cadre: string | null, department: string | null, category: string | null, channel: string | null];
type Key = CellKey;

/** A validated query's plan: what compute runs and how it assembles the rows (MetricsService.compile). */
interface CompiledQuery {
  measures: MeasureDefinition[];
  dims: ReadonlySet<Dimension>;
  buckets: Bucket[];
  regionLevel: RegionLevel | null;
  filterRoot: string | null;
  /** Product of the data dimensions' sizes, for the cell estimate. */
  dataFactor: number;
  /** End of the last bucket: an asOf before it cuts the range, so the plan is not reused. */
  endMs: number;
  statements: Array<[FamilyId, RenderedStatement]>;
  servedByRollup: boolean;
  rollupsRead: string[];
  /** BACKLOG counted at each bucket's instant (the raw statement over few buckets), not as changes summed up. */
  stockCounted: boolean;
  /** The percentile parts asked for (their durations come back as values). */
  percentiles: DurationId[];
  /** Families whose rollup answer has a correction: a key whose facts it takes away entirely is no row. */
  corrected: FamilyId[];
  /** The fact tables whose latest instants decide whether a rollup needs a correction (checked again when the plan is reused). */
  fresh: readonly Freshness[];
  reusable: boolean;
}

/** A statement as run, and how its rows are merged (Statement byRegion). */
type RenderedStatement = { sql: string; params: unknown[]; byRegion?: Statement['byRegion'] };

const rendered = (st: Statement): RenderedStatement => ({ ...render(st), ...(st.byRegion ? { byRegion: st.byRegion } : {}) });

/** Latest instants that tell whether facts after asOf exist (a rollup's answer would count them). */
type Freshness = 'responses' | 'visits' | 'received' | 'changed' | 'events';

const FRESHNESS_SQL: Record<Freshness, string> = {
  responses: '(SELECT MAX(responded_at) FROM survey_responses)',
  visits: '(SELECT MAX(visited_at) FROM visits)',
  received: '(SELECT MAX(received_at) FROM issues)',
  changed: '(SELECT MAX(state_changed_at) FROM issues)',
  events: '(SELECT MAX(at) FROM issue_events)',
};

/** Which latest instants each rollup-served family depends on. */
const FRESHNESS_OF: Partial<Record<FamilyId, Freshness[]>> = {
  satisfaction: ['responses'],
  // Visits that raised an issue: a rollup knows every linked issue, a query only those received by asOf.
  visits: ['visits', 'received'],
  issues: ['received', 'changed'],
  backlog: ['received', 'changed', 'events'],
  issueDurations: ['changed'],
};

/** How a query is planned: with the cell limit (the API) or not (internal callers that bound their range), with the measures' parts or every part of their families. */
interface PlanOptions {
  unlimited: boolean;
  allParts: boolean;
}

export interface MetricsServiceOptions {
  /** `false` forces the raw tables (tests compare both paths). */
  rollups?: boolean;
  /** The calendar and rollups of the process (createServices); made for this service otherwise (rollups not loaded: raw tables). */
  calendar?: Calendar;
  rollupState?: Rollups;
}

/** Cells (rows × measures) a query may need, before the data say how many there are. */
function estimateCells(c: Pick<CompiledQuery, 'measures' | 'buckets' | 'regionLevel' | 'dataFactor'>, regions: readonly string[]): number {
  return c.buckets.length * c.measures.length * (c.regionLevel ? Math.max(1, regions.length) : 1) * c.dataFactor;
}

/** asOf (metrics, dashboard) as epoch ms, now when absent; BAD_USER_INPUT unless it is a valid Date. */
export function checkAsOf(asOf: Date | null | undefined): number {
  if (asOf !== undefined && asOf !== null && !(asOf instanceof Date && Number.isFinite(asOf.getTime()))) {
    throw badInput('asOf must be a valid instant', { argument: 'asOf' });
  }
  return asOf ? asOf.getTime() : Date.now();
}

/**
 * A regionId filter (metrics, dashboard) must lie inside the scope: FORBIDDEN otherwise, without
 * saying whether it exists. Unscoped, an unknown id is NOT_FOUND.
 */
export async function checkRegionFilter(ds: DataSource, regionId: string, scope: Scope): Promise<void> {
  if (scope.regionId !== null) {
    const inside = await analyticsQuery(ds, 'SELECT 1 AS ok FROM region_closure WHERE ancestor_id = ? AND descendant_id = ?', [scope.regionId, regionId]);
    if (inside.length === 0) throw new UserError('FORBIDDEN', `region ${regionId} is outside your scope`);
    return;
  }
  const found = await analyticsQuery(ds, 'SELECT id FROM regions WHERE id = ?', [regionId]);
  if (found.length === 0) throw notFound('Region', regionId);
}

/**
 * Computes a metrics query inside `scope` (an OFFICER's subtree; UNSCOPED = all): validates it,
 * plans one statement per measure family — on a rollup where one answers the family exactly
 * (with a correction where facts after asOf exist), on the raw tables otherwise — runs them and
 * assembles the rows. Built once per data source (createServices); it keeps the plans of
 * repeated queries that rollups answer.
 */
export class MetricsService {
  readonly calendar: Calendar;
  readonly rollups: Rollups;
  /**
   * Plans of repeated queries that rollups answer: a dashboard repeats the same few queries,
   * and validating and planning one again cost about as much as the rollup statement it runs.
   */
  private readonly plans = new LRUCache<string, CompiledQuery>({ max: 500 });

  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly options: MetricsServiceOptions = {},
  ) {
    this.calendar = options.calendar ?? new Calendar(config.festivals);
    this.rollups = options.rollupState ?? new Rollups(ds, this.calendar, config);
  }

  /** Validates `query`, runs one statement per measure family, and assembles rows in request order of measures. */
  async compute(query: MetricsQueryArgs, scope: Scope): Promise<MetricsResultData> {
    const { rows, dataAsOf, servedByRollup, rollupsRead, measures } = await this.computeCells(query, scope, (c, regions, cells, keys) =>
      this.assemble(c.measures, c.dims, c.buckets.map((b) => b.period), regions, cells, keys, c.stockCounted),
    );
    this.checkCells(rows.length * measures.length);
    return { rows, dataAsOf, servedByRollup, rollupsRead };
  }

  /**
   * The cells of a query as the statements gave them (parts by name, keyed by period and
   * dimensions), without the grid of empty cells: what daily_metrics streams. No cell limit:
   * the caller bounds the range.
   */
  async computeParts(query: MetricsQueryArgs, scope: Scope, options: { allParts?: boolean } = {}): Promise<{ cells: Array<{ key: CellKey; parts: Parts }>; dataAsOf: Date }> {
    const { rows, dataAsOf } = await this.computeCells(query, scope, (_c, _regions, cells, keys) => [...cells.entries()].map(([id, parts]) => ({ key: keys.get(id)!, parts: parts as Parts })), { unlimited: true, allParts: options.allParts ?? false });
    return { cells: rows, dataAsOf };
  }

  private async computeCells<T>(
    query: MetricsQueryArgs,
    scope: Scope,
    out: (c: CompiledQuery, regions: string[], cells: Map<string, Cell>, keys: Map<string, Key>) => T[],
    how: PlanOptions = { unlimited: false, allParts: false },
  ): Promise<{ rows: T[]; dataAsOf: Date; servedByRollup: boolean; rollupsRead: string[]; measures: MeasureDefinition[] }> {
    const key = this.compiledKey(query, scope, how);
    let compiled = key === null ? undefined : this.plans.get(key);
    let asOfMs = 0;
    if (compiled) {
      // Only asOf is not in the key; a later asOf cannot change a range that ended before it.
      asOfMs = checkAsOf(query.asOf);
      if (asOfMs < compiled.endMs - 1 || (await this.needsCorrection(compiled.fresh, asOfMs))) compiled = undefined;
    }
    let regions: string[];
    if (compiled) {
      regions = await this.recheck(compiled, scope, how.unlimited);
    } else {
      ({ compiled, asOfMs, regions } = await this.compile(query, scope, how));
      if (key !== null && compiled.reusable) this.plans.set(key, compiled);
    }
    const cells = new Map<string, Cell>();
    const keys = new Map<string, Key>();
    // Which families gave each cell: kept only when a correction may take a cell's facts away.
    const seen = compiled.corrected.length ? new Map<string, Set<FamilyId>>() : null;
    const values: DurationValues = new Map();
    // Null-region cells worked out from a region rollup's root and level rows, and the cells other statements gave.
    const nullRows = compiled.statements.some(([, st]) => st.byRegion) ? { derived: new Set<string>(), other: new Set<string>() } : null;
    for (const [id, { sql, params, byRegion }] of compiled.statements) {
      // Aggregates read a replica when DATABASE_REPLICA_URLS names one (lag is fine for them).
      const rows: Array<Record<string, unknown>> = await analyticsQuery(this.ds, sql, params);
      mergeRows(id, rows, compiled.dims, compiled.buckets, cells, keys, seen, values, nullRows && { byRegion, ...nullRows });
    }
    if (nullRows) dropEmptyNullRows(nullRows, cells, keys, seen);
    if (values.size) fillPercentiles(values, cells, compiled.percentiles);
    if (seen) dropUncounted(compiled.corrected, seen, cells, keys);
    return { rows: out(compiled, regions, cells, keys), dataAsOf: new Date(asOfMs), servedByRollup: compiled.servedByRollup, rollupsRead: compiled.rollupsRead, measures: compiled.measures };
  }

  /**
   * Validates a query and plans its statements. Those of a query answered from rollups alone
   * (no asOf inside the range, no correction, no open cadre or department list) are `reusable`:
   * they hold no instant and no data, only the query's own terms, so a repeat may run them as
   * they are once the latest facts are still not after its asOf.
   */
  private async compile(query: MetricsQueryArgs, scope: Scope, how: PlanOptions): Promise<{ compiled: CompiledQuery; asOfMs: number; regions: string[] }> {
    const measures = this.checkMeasures(query);
    const dims = this.checkDimensions(query, measures);
    const zone = this.calendar.checkZone(query.timeZone ?? this.config.reportingTimeZone);
    const from = this.calendar.localDate(query.from, zone, 'from');
    const to = this.calendar.localDate(query.to, zone, 'to');
    if (to < from) throw badInput(`"to" (${query.to}) is before "from" (${query.from})`, { argument: 'to' });
    const days = countDays(query.from, query.to);
    if (days > this.config.limits.maxRangeDays) {
      throw badInput(`from–to covers ${days} days; at most ${this.config.limits.maxRangeDays} are allowed`, { argument: 'to' });
    }
    const asOfMs = checkAsOf(query.asOf);
    const filters = this.checkFilters(query, measures);
    const filterRoot = query.regionId ?? null;
    if (filterRoot !== null) await this.checkRegion(filterRoot, scope);

    const granularity = dims.has('PERIOD') ? query.granularity! : null;
    const buckets = this.calendar.buckets(query.from, query.to, zone, granularity, asOfMs);
    const regionLevel = dims.has('REGION') ? query.regionLevel! : null;
    const regions = regionLevel ? await this.regionsAt(regionLevel, scope.regionId, filterRoot) : [];

    let dataFactor = 1;
    for (const d of DATA_DIMS) {
      if (!dims.has(d)) continue;
      const list = d === 'CADRE' ? filters.cadreIds : d === 'DEPARTMENT' ? filters.departmentIds : d === 'CATEGORY' ? filters.categories : filters.channels;
      dataFactor *= list?.length ?? ENUM_SIZE[d];
    }
    const shape = { measures, buckets, regionLevel, dataFactor };
    // Cadres and departments are open-ended: count them (in scope) only when the estimate may pass.
    const open = (['CADRE', 'DEPARTMENT'] as const).filter((d) => dims.has(d) && (d === 'CADRE' ? filters.cadreIds : filters.departmentIds) === null);
    if (!how.unlimited) {
      this.checkCells(estimateCells(shape, regions));
      if (open.length) this.checkCells(estimateCells(shape, regions) * (await this.countValues(open, scope.regionId)));
    }

    // The buckets are clipped to the range: the first starts at `from`, the last ends after `to`.
    const startMs = buckets[0].startMs;
    const endMs = buckets[buckets.length - 1].endMs;
    const plan: QueryPlan = {
      dialect: dialectOf(this.ds),
      dims,
      regionLevel,
      buckets,
      asOfMs,
      startMs,
      endMs,
      scopeRoot: scope.regionId,
      filterRoot,
      ...filters,
      slaMs: Math.round(this.config.responseSlaHours * HOUR_MS),
      repeatWindowMs: Math.round(this.config.repeatWindowDays * 24 * HOUR_MS),
      festivalRanges: this.calendar.festivalRanges(zone, startMs, endMs),
      measures: new Set(query.measures),
    };
    const partsOf = new Map<FamilyId, Set<string>>();
    for (const m of measures) for (const f of m.families) partsOf.set(f, new Set([...(partsOf.get(f) ?? []), ...m.parts, ...(how.allParts ? FAMILY_PARTS[f as keyof typeof FAMILY_PARTS] ?? [] : [])]));
    // HOUSEHOLDS_VISITED may come from the coverage rollup (householdsVisited), the visits family's other parts from its own.
    const chosen = [...partsOf.keys()].map((id) => [id, this.rollupFor(id, plan, zone, id === 'visits' ? without(partsOf.get(id)!, 'householdsVisited') : partsOf.get(id)!)] as const);
    const fresh = [...new Set(chosen.flatMap(([id, r]) => (r ? FRESHNESS_OF[id] ?? [] : [])))];
    const latest = fresh.length ? await this.latest(fresh) : new Map<Freshness, number | null>();
    const after = (f: Freshness) => (latest.get(f) ?? -Infinity) > asOfMs;
    const lastInstant = Math.max(...[...latest.values()].map((v) => v ?? -Infinity), asOfMs);
    const lastFactDay = this.calendar.localDay(Math.min(lastInstant, 8.64e15), zone);

    const statements: CompiledQuery['statements'] = [];
    let fromRollups = 0;
    const corrected: FamilyId[] = [];
    // Statements holding what this run read (late values as of asOf, the top regions): the plan is not reused.
    let pinned = false;
    // The query's roots (its filter, else its scope, else the top regions), read once when a rollup needs them.
    let roots: Promise<Roots> | undefined;
    const rootsOf = () => (roots ??= this.roots(plan.filterRoot ?? plan.scopeRoot));
    // The levels a region rollup must keep for this query: its roots' and, with REGION, the level's.
    const queryLevels = async (): Promise<RegionLevel[]> => [...(await rootsOf()).levels, ...(regionLevel ? [regionLevel] : [])];
    let stockCounted = false;
    let branchesServed = false;
    for (const [id, candidate] of chosen) {
      let parts = partsOf.get(id)!;
      let r = candidate;
      if (id === 'visits' && parts.has('householdsVisited')) {
        const visited = await this.householdsVisited(plan, zone, queryLevels);
        if (visited) {
          for (const st of visited) statements.push([id, rendered(st)]);
          parts = without(parts, 'householdsVisited');
          // It read the facts' state (visits recorded outside their household's region): not reused.
          [branchesServed, pinned] = [true, true];
        } else r = null;
      }
      // The households and pairings families' branches that rollups answer (households in scope,
      // VISIT_COVERAGE's households visited, PAIRED_COVERAGE's pairings visited); the rest from the tables.
      const branches =
        id === 'households' ? await this.householdBranches(plan, zone, parts, queryLevels) : id === 'pairings' ? await this.pairingBranches(plan, zone, parts, queryLevels) : new Map<string, Statement[]>();
      if (branches.size) {
        const rest = new Set([...parts].filter((p) => !branches.has(p)));
        if (BRANCH_PARTS.some((p) => rest.has(p))) statements.push([id, render(FAMILIES[id].build(plan, rest))]);
        for (const st of [...branches.values()].flat()) statements.push([id, rendered(st)]);
        branchesServed = true;
        continue;
      }
      // BACKLOG by department is as of asOf: an issue whose state is later moves between
      // departments; a stock instant inside a day needs that day's later changes left out.
      // Visits that raised an issue by asOf: a rollup counts issues received later too.
      if (r && id === 'visits' && parts.has('visitsWithIssue') && after('received')) r = null;
      if (r && id === 'backlog' && ((after('changed') && (dims.has('DEPARTMENT') || filters.departmentIds)) || (asOfMs < endMs - 1 && (after('received') || after('events'))))) r = null;
      if (!r) {
        statements.push([id, render(FAMILIES[id].build(plan, parts))]);
        if (id === 'backlog') stockCounted = backlogByInstants(buckets);
        continue;
      }
      // The rollup keeps days at coarse levels only: a query that needs them at a finer one reads the facts.
      const levels: Array<RegionLevel | null> = r.levels ? await queryLevels() : [null];
      const pieces = id === 'backlog' ? stockPieces(plan, buckets.map((b) => this.calendar.localDay(b.stockMs, zone)), lastFactDay) : cohortPieces(plan, lastFactDay);
      if (!readable(r, pieces, levels)) {
        statements.push([id, render(FAMILIES[id].build(plan, parts))]);
        if (id === 'backlog') stockCounted = backlogByInstants(buckets);
        continue;
      }
      fromRollups++;
      if (id === 'issueDurations') {
        // Every value, from the durations rollup where the stored state holds at asOf, derived as of asOf where it does not.
        // Unscoped: the top regions' ids go into the statements (a region may be added later).
        const tops = (plan.filterRoot ?? plan.scopeRoot) === null ? (await rootsOf()).ids : [];
        if (tops.length) pinned = true;
        const stored = readDurations(plan, r, durationKinds(parts), tops);
        for (const st of stored) statements.push([id, render(st)]);
        fromRollups += stored.length - 1;
        if (after('changed')) {
          statements.push([id, render(FAMILIES[id].build(plan, parts, { late: true }))]);
          pinned = true;
        }
        continue;
      }
      const read = readRollup(plan, r, [...parts].filter((p) => partNames(r!).includes(p)), pieces);
      for (const st of read) statements.push([id, rendered(st)]);
      fromRollups += read.length - 1;
      // Facts after asOf inside the range do not exist for the query; the rollup counted them.
      if ((id === 'satisfaction' && after('responses')) || (id === 'visits' && after('visits'))) {
        if (asOfMs < endMs - 1) {
          statements.push([id, render(FAMILIES[id].build(plan, parts, { after: asOfMs, before: endMs }))]);
          corrected.push(id);
        }
      }
      // Issues whose stored state is later than asOf: their state as of asOf instead.
      if (id === 'issues' && (after('received') || after('changed'))) {
        statements.push([id, render(FAMILIES[id].build(plan, parts, { late: true }))]);
        corrected.push(id);
      }
    }
    const compiled: CompiledQuery = {
      ...shape,
      dims,
      filterRoot,
      endMs,
      statements,
      servedByRollup: fromRollups > 0 || branchesServed,
      rollupsRead: [...new Set(statements.flatMap(([, st]) => [...st.sql.matchAll(/\brollup_\w+/g)].map((m) => m[0])))].sort(),
      stockCounted,
      corrected,
      percentiles: [...(partsOf.get('issueDurations') ?? [])].filter((p): p is DurationId => p in DURATIONS),
      fresh,
      // A rollup statement holds no asOf; a correction and the raw statements do.
      reusable: fromRollups === statements.length && !corrected.length && !pinned && open.length === 0 && asOfMs >= endMs - 1,
    };
    return { compiled, asOfMs, regions };
  }

  /**
   * The statements of the households family's branches that rollups answer, by the part each
   * gives: households in scope (the household-count rollup), VISIT_COVERAGE's households
   * visited (the coverage rollup) and PAIRED_HOUSEHOLD_RATE's households paired (the
   * paired-households rollup), for the county and townships without household tags.
   */
  private async householdBranches(plan: QueryPlan, zone: string, parts: ReadonlySet<string>, queryLevels: () => Promise<RegionLevel[]>): Promise<Map<string, Statement[]>> {
    const out = new Map<string, Statement[]>();
    const count = parts.has('households') && this.rollups.answers(HOUSEHOLD_COUNT_ROLLUP, zone);
    const coverage = parts.has('coveredHouseholds') && this.rollups.answers(COVERAGE_ROLLUP, zone);
    const paired = parts.has('pairedHouseholds') && this.rollups.answers(PAIRED_HOUSEHOLDS_ROLLUP, zone);
    if (this.options.rollups === false || plan.householdTags || !(count || coverage || paired)) return out;
    const levels = await queryLevels();
    if (count && levels.every((l) => keeps(HOUSEHOLD_COUNT_ROLLUP, 'Y', l))) out.set('households', readHouseholdCount(plan, HOUSEHOLD_COUNT_ROLLUP));
    if (paired) {
      // Spells started by each bucket's last day, minus those ended before it (dates have no zone: every piece counts).
      const [started, ended] = lastDayPieces(plan);
      if (readable(PAIRED_HOUSEHOLDS_ROLLUP, [...started, ...ended], levels)) {
        out.set('pairedHouseholds', readStock(plan, PAIRED_HOUSEHOLDS_ROLLUP, 'pairedDelta', ['spellsStarted', 'spellsEnded'], started, ended));
      }
    }
    const whole = coverage ? await this.coverageMonths(plan, zone, levels) : null;
    if (whole?.partialStart) {
      // The range starts inside a month: the rollup from that month minus its head, or from the next month plus the range's days before it, the shorter.
      const edge = this.monthEdge(plan, zone, whole.months);
      out.set('coveredHouseholds', [...readCoverage(plan, COVERAGE_ROLLUP, edge.months), coverageEdge(plan, edge.fromMs, edge.toMs, edge.sign)]);
    } else if (whole) {
      out.set('coveredHouseholds', readCoverage(plan, COVERAGE_ROLLUP, whole.months));
    }
    return out;
  }

  /**
   * The months of each bucket (read.ts wholeMonths) when the coverage rollup (built for the zone)
   * answers this query's households visited exactly, with coverageEdge for a range that starts
   * inside a month; else null: the root and the level (`levels`) at the county or a
   * township, every bucket ∩ range whole months but the ends, and the rollup's months hold no visit
   * the query must not count — none after asOf inside the range, and when the range ends inside a
   * month (a dashboard's "up to today"), none after its end.
   */
  private async coverageMonths(plan: QueryPlan, zone: string, levels: readonly RegionLevel[]) {
    if (!levels.every((l) => keeps(COVERAGE_ROLLUP, 'M', l))) return null;
    const whole = wholeMonths(plan);
    return whole && (await this.noVisitsBeyond(plan, whole.partialEnd)) ? whole : null;
  }

  /**
   * HOUSEHOLDS_VISITED from the coverage rollup, or null. That rollup counts the households visited
   * by their own region, HOUSEHOLDS_VISITED by the visits' regions: the same households wherever no
   * visit of the months read is recorded outside its household's region (misplacedVisits, over every
   * region). Whole months as VISIT_COVERAGE reads them (coverageMonths) from a month's first day;
   * not by cadre, nor with household tags.
   */
  private async householdsVisited(plan: QueryPlan, zone: string, queryLevels: () => Promise<RegionLevel[]>): Promise<Statement[] | null> {
    if (this.options.rollups === false || plan.householdTags || plan.cadreIds || plan.dims.has('CADRE') || !this.rollups.answers(COVERAGE_ROLLUP, zone)) return null;
    const whole = await this.coverageMonths(plan, zone, await queryLevels());
    if (!whole || whole.partialStart) return null;
    const { sql, params } = render(misplacedVisits(COVERAGE_ROLLUP, whole.months[0].first, whole.months[whole.months.length - 1].last));
    const [{ n }] = await analyticsQuery<{ n: unknown }>(this.ds, sql, params);
    return num(n) === 0 ? readCoverage(plan, COVERAGE_ROLLUP, whole.months, { column: 'householdsVisited' }) : null;
  }

  /**
   * Whether the months a month rollup reads hold no visit the query must not count: none after
   * asOf inside the range and, when the range ends inside a month (`partialEnd`), none after its end.
   */
  private async noVisitsBeyond(plan: QueryPlan, partialEnd: boolean): Promise<boolean> {
    if (!partialEnd && plan.asOfMs >= plan.endMs - 1) return true;
    const last = (await this.latest(['visits'])).get('visits') ?? -Infinity;
    return !(last > plan.asOfMs || (partialEnd && last >= plan.endMs));
  }

  /**
   * The statements of the pairings family's branches that rollups answer (PAIRED_COVERAGE), by
   * the part each gives, for the county and townships without household tags (by CADRE: the cadre
   * rollups, for the whole county only): the pairings active on each bucket's last day (the
   * pairings rollup, any buckets) and those visited (coveredPairings).
   */
  private async pairingBranches(plan: QueryPlan, zone: string, parts: ReadonlySet<string>, queryLevels: () => Promise<RegionLevel[]>): Promise<Map<string, Statement[]>> {
    const out = new Map<string, Statement[]>();
    const byCadre = plan.dims.has('CADRE') || plan.cadreIds !== null;
    // By cadre: the cadre rollups, which have no regions (the whole county only).
    if (this.options.rollups === false || plan.householdTags || (byCadre && (plan.scopeRoot !== null || plan.filterRoot !== null || plan.dims.has('REGION')))) return out;
    const levelsOf = async (r: RollupDef): Promise<Array<RegionLevel | null>> => (r.levels ? await queryLevels() : [null]);
    // Active pairings on each bucket's last day, any buckets: started by it minus ended before it
    // (by cadre over one bucket, the family's own statement reads an index of the pairings alone).
    const stock = byCadre ? CADRE_PAIRINGS_ROLLUP : PAIRINGS_ROLLUP;
    if (parts.has('pairings') && this.rollups.answers(stock, zone) && !(byCadre && plan.buckets.length === 1)) {
      const [started, ended] = lastDayPieces(plan);
      if (readable(stock, [...started, ...ended], await levelsOf(stock))) out.set('pairings', readStock(plan, stock, 'active', ['pairingsStarted', 'pairingsEnded'], started, ended));
    }
    const covered = await this.coveredPairings(plan, zone, parts, byCadre ? CADRE_PAIRED_COVERAGE_ROLLUP : PAIRED_COVERAGE_ROLLUP, levelsOf);
    if (covered) out.set('coveredPairings', covered);
    return out;
  }

  /**
   * PAIRED_COVERAGE's pairings visited from the paired-coverage rollup `r`, or null: every bucket ∩
   * range whole local months but the ends. The first may start inside its month (pairedEdge takes
   * away the pairings seen only before it, or adds those seen only in its first days); the last may
   * end inside its month when no visit lies after it there and no pairing starts or ends between
   * its last day and its month's (the rollup knows a pairing's months: idx_pairings_started,
   * idx_pairings_ended). No visit after asOf inside the range.
   */
  private async coveredPairings(plan: QueryPlan, zone: string, parts: ReadonlySet<string>, r: RollupDef, levelsOf: (r: RollupDef) => Promise<Array<RegionLevel | null>>): Promise<Statement[] | null> {
    if (!parts.has('coveredPairings') || !this.rollups.answers(r, zone)) return null;
    if (!(await levelsOf(r)).every((l) => keeps(r, 'M', l))) return null;
    const whole = wholeMonths(plan);
    if (!whole || !(await this.noVisitsBeyond(plan, whole.partialEnd))) return null;
    if (whole.partialEnd) {
      const last = plan.buckets[plan.buckets.length - 1].lastDate;
      const monthEnd = addDays(`${nextMonth(last.slice(0, 7))}-01`, -1);
      const turning = await analyticsQuery(
        this.ds,
        'SELECT 1 AS t FROM pairings WHERE started_on > ? AND started_on <= ? UNION ALL SELECT 1 FROM pairings WHERE ended_on >= ? AND ended_on < ? LIMIT 1',
        [last, monthEnd, last, monthEnd],
      );
      if (turning.length) return null;
    }
    if (!whole.partialStart) return readPairedCoverage(plan, r, whole.months);
    // The range starts inside a month: the rollup from that month minus its head, or from the next month plus the range's days before it, the shorter.
    const edge = this.monthEdge(plan, zone, whole.months);
    return [...readPairedCoverage(plan, r, edge.months), pairedEdge(plan, edge.fromMs, edge.toMs, edge.sign)];
  }

  /**
   * For a month rollup read by a range that starts inside its first month: the months each bucket
   * then reads and the edge to count with them (coverageEdge, pairedEdge: `sign` × the facts seen
   * in [fromMs, toMs) only). The head: from the first month, less what was seen only in its days
   * before the range; or the tail, when shorter: from the next month, plus what was seen only in
   * the range's days before it.
   */
  private monthEdge(plan: QueryPlan, zone: string, months: readonly MonthSpan[]): { months: MonthSpan[]; fromMs: number; toMs: number; sign: 1 | -1 } {
    const first = months[0];
    const next = nextMonth(first.first);
    const [monthStart, nextStart] = [this.calendar.startOfDay(`${first.first}-01`, zone), this.calendar.startOfDay(`${next}-01`, zone)];
    if (first.last >= next && nextStart - plan.startMs < plan.startMs - monthStart) {
      return { months: [{ first: next, last: first.last }, ...months.slice(1)], fromMs: plan.startMs, toMs: nextStart, sign: 1 };
    }
    return { months: [...months], fromMs: monthStart, toMs: plan.startMs, sign: -1 };
  }

  /** The regions a query's facts are under (its filter, else its scope, else the top regions): their ids and levels, one statement. */
  private async roots(root: string | null): Promise<Roots> {
    const rows = await analyticsQuery<{ id: string; level: RegionLevel }>(this.ds, `SELECT id, level FROM regions WHERE ${root === null ? 'parent_id IS NULL' : 'id = ?'}`, root === null ? [] : [root]);
    return { ids: rows.map((r) => String(r.id)), levels: [...new Set(rows.map((r) => r.level))] };
  }

  /** The latest instants of the given fact tables (one statement of index lookups). */
  private async latest(which: readonly Freshness[]): Promise<Map<Freshness, number | null>> {
    const [row] = await analyticsQuery<Record<string, unknown>>(this.ds, `SELECT ${which.map((w) => `${FRESHNESS_SQL[w]} AS ${w}`).join(', ')}`);
    return new Map(which.map((w) => [w, row[w] === null || row[w] === undefined ? null : Number(row[w])]));
  }

  /** Whether facts later than asOf exist where a reused plan's rollups would count them. */
  private async needsCorrection(fresh: readonly Freshness[], asOfMs: number): Promise<boolean> {
    if (!fresh.length) return false;
    for (const v of (await this.latest(fresh)).values()) if (v !== null && v > asOfMs) return true;
    return false;
  }

  /** What a reused query still reads afresh: its region filter against the scope, the regions of its level, and the cell limit. */
  private async recheck(c: CompiledQuery, scope: Scope, unlimited: boolean): Promise<string[]> {
    if (c.filterRoot !== null) await this.checkRegion(c.filterRoot, scope);
    const regions = c.regionLevel ? await this.regionsAt(c.regionLevel, scope.regionId, c.filterRoot) : [];
    if (!unlimited) this.checkCells(estimateCells(c, regions));
    return regions;
  }

  /**
   * The cache key of a query's terms and everything else its statements depend on: the scope,
   * what the rollups are built for, and whether rollups may answer. asOf is left out (compute
   * checks it); null when a term has no JSON form, so the query is planned as usual.
   */
  private compiledKey(q: MetricsQueryArgs, scope: Scope, how: PlanOptions): string | null {
    try {
      return JSON.stringify([
        q.measures, q.dimensions ?? null, q.regionLevel ?? null, q.granularity ?? null, q.from, q.to, q.timeZone ?? null, q.regionId ?? null,
        q.categories ?? null, q.channels ?? null, q.cadreIds ?? null, q.departmentIds ?? null, q.householdTags ?? null,
        scope.regionId, this.rollups.builtSignature(), this.options.rollups ?? true, how.unlimited, how.allParts,
      ]);
    } catch {
      return null;
    }
  }

  /**
   * The rollup that answers a family of this query exactly, or null: one built for the query's
   * zone (and this configuration) that holds what the query groups and filters by — regions
   * (any level, inside any scope), or cadres over the whole county, and for issues their
   * category, channel and department in the cube rollups.
   */
  private rollupFor(id: FamilyId, plan: QueryPlan, zone: string, parts: ReadonlySet<string>): RollupDef | null {
    if (this.options.rollups === false) return null;
    // Rollups know no household tags.
    if (plan.householdTags) return null;
    const byCadre = plan.dims.has('CADRE') || plan.cadreIds !== null;
    const issueTerms = plan.dims.has('DEPARTMENT') || plan.dims.has('CATEGORY') || plan.dims.has('CHANNEL') || plan.categories !== null || plan.channels !== null || plan.departmentIds !== null;
    // Cadre rollups have no regions: only for the whole county.
    const cadreOnly = byCadre && (plan.scopeRoot !== null || plan.filterRoot !== null || plan.dims.has('REGION'));
    let r: RollupDef | null = null;
    if (id === 'satisfaction') r = byCadre ? (cadreOnly ? null : CADRE_SATISFACTION_ROLLUP) : SATISFACTION_ROLLUP;
    // Distinct households are not a sum of days.
    else if (id === 'visits') r = parts.has('householdsVisited') ? null : byCadre ? (cadreOnly ? null : CADRE_VISITS_ROLLUP) : VISITS_ROLLUP;
    else if (id === 'issues') r = issueTerms ? ISSUES_CUBE_ROLLUP : ISSUES_ROLLUP;
    else if (id === 'backlog') r = issueTerms ? BACKLOG_CUBE_ROLLUP : BACKLOG_ROLLUP;
    else if (id === 'issueDurations') r = DURATIONS_ROLLUP;
    return r && this.rollups.answers(r, zone) ? r : null;
  }

  private checkMeasures(query: MetricsQueryArgs): MeasureDefinition[] {
    if (!Array.isArray(query.measures) || query.measures.length === 0) throw badInput('measures must name at least one measure', { argument: 'measures' });
    return query.measures.map((m) => {
      const d = CATALOGUE.get(m);
      if (!d) throw badInput(`unknown measure ${String(m)}; known: ${Measures.values.join(', ')}`, { argument: 'measures' });
      return d;
    });
  }

  private checkDimensions(query: MetricsQueryArgs, measures: MeasureDefinition[]): Set<Dimension> {
    const dims = new Set<Dimension>(query.dimensions ?? []);
    for (const d of dims) if (!Dimensions.values.includes(d)) throw badInput(`unknown dimension ${String(d)}`, { argument: 'dimensions' });
    if (dims.has('REGION') && !query.regionLevel) throw badInput('dimension REGION needs regionLevel', { argument: 'regionLevel' });
    if (query.regionLevel && !RegionLevels.values.includes(query.regionLevel)) throw badInput(`unknown regionLevel ${String(query.regionLevel)}`, { argument: 'regionLevel' });
    if (dims.has('PERIOD') && !query.granularity) throw badInput('dimension PERIOD needs granularity', { argument: 'granularity' });
    if (query.granularity && !Granularities.values.includes(query.granularity)) throw badInput(`unknown granularity ${String(query.granularity)}`, { argument: 'granularity' });
    for (const m of measures) {
      for (const d of dims) {
        if (!m.dimensions.includes(d)) {
          throw badInput(`dimension ${d} does not apply to measure ${m.id} (it applies to ${m.dimensions.join(', ')})`, { argument: 'dimensions', measure: m.id, dimension: d });
        }
      }
    }
    return dims;
  }

  /** Issue filters apply to issue measures only, cadreIds to people measures only (as the dimensions do). */
  private checkFilters(query: MetricsQueryArgs, measures: MeasureDefinition[]) {
    const list = <T>(name: string, v: T[] | undefined, allowed?: readonly string[]): T[] | null => {
      if (v === undefined || v === null || v.length === 0) return null;
      for (const x of v) {
        if (typeof x !== 'string' || (allowed && !allowed.includes(x))) throw badInput(`${name}: unknown value ${JSON.stringify(x)}`, { argument: name });
      }
      return [...new Set(v)];
    };
    const out = {
      categories: list<IssueCategory>('categories', query.categories, IssueCategories.values),
      channels: list<IssueChannel>('channels', query.channels, IssueChannels.values),
      departmentIds: list<string>('departmentIds', query.departmentIds),
      cadreIds: list<string>('cadreIds', query.cadreIds),
      householdTags: list<HouseholdTag>('householdTags', query.householdTags, HouseholdTags.values),
    };
    if (out.householdTags) {
      const bad = measures.find((m) => !HOUSEHOLD_TAG_MEASURES.has(m.id));
      if (bad) throw badInput(`filter householdTags does not apply to measure ${bad.id} (it applies to ${[...HOUSEHOLD_TAG_MEASURES].join(', ')})`, { argument: 'householdTags', measure: bad.id });
    }
    const needs = (names: readonly (keyof typeof out)[], dim: Dimension) => {
      for (const n of names) {
        if (out[n] === null) continue;
        const bad = measures.find((m) => !m.dimensions.includes(dim));
        if (bad) throw badInput(`filter ${n} does not apply to measure ${bad.id}`, { argument: n, measure: bad.id });
      }
    };
    needs(ISSUE_FILTERS, 'CATEGORY');
    needs(PEOPLE_FILTERS, 'CADRE');
    return out;
  }

  private checkCells(cells: number): void {
    const max = this.config.limits.maxMetricCells;
    if (cells > max) {
      throw new UserError('QUERY_TOO_COMPLEX', `this metrics query needs about ${cells} cells (rows × measures); at most ${max} are allowed: narrow the range, use a coarser granularity or fewer dimensions`, { cells, maxMetricCells: max });
    }
  }

  private async checkRegion(regionId: string, scope: Scope): Promise<void> {
    if (typeof regionId !== 'string' || regionId.length === 0) throw badInput('regionId must be a region id', { argument: 'regionId' });
    await checkRegionFilter(this.ds, regionId, scope);
  }

  /** Cadres in scope (and departments + 1 for "none") multiplied: at most that many value combinations. */
  private async countValues(dims: ReadonlyArray<'CADRE' | 'DEPARTMENT'>, scopeRoot: string | null): Promise<number> {
    const parts = dims.map((d) =>
      d === 'DEPARTMENT'
        ? '(SELECT COUNT(*) + 1 FROM departments)'
        : scopeRoot === null
          ? '(SELECT COUNT(*) FROM cadres)'
          : '(SELECT COUNT(*) FROM cadres c JOIN region_closure cc ON cc.descendant_id = c.region_id AND cc.ancestor_id = ?)',
    );
    const [row] = await analyticsQuery(this.ds, `SELECT ${parts.map((p, i) => `${p} AS n${i}`).join(', ')}`, dims.includes('CADRE') && scopeRoot !== null ? [scopeRoot] : []);
    return dims.reduce((acc, _d, i) => acc * Math.max(1, Number((row as Record<string, unknown>)[`n${i}`])), 1);
  }

  /** Every region of `level` inside the scope and the filter subtree, by id. */
  private async regionsAt(level: RegionLevel, scopeRoot: string | null, filterRoot: string | null): Promise<string[]> {
    const joins: string[] = [];
    const params: unknown[] = [];
    for (const root of [scopeRoot, filterRoot]) {
      if (root === null) continue;
      const a = `c${joins.length}`;
      joins.push(`JOIN region_closure ${a} ON ${a}.descendant_id = r.id AND ${a}.ancestor_id = ?`);
      params.push(root);
    }
    const rows: Array<{ id: string }> = await analyticsQuery(this.ds, `SELECT r.id FROM regions r ${joins.join(' ')} WHERE r.level = ? ORDER BY r.id`, [...params, level]);
    return rows.map((r) => String(r.id));
  }

  private assemble(
    measures: MeasureDefinition[],
    dims: ReadonlySet<Dimension>,
    periods: Array<string | null>,
    skeleton: string[],
    cells: Map<string, Cell>,
    keys: Map<string, Key>,
    stockCounted: boolean,
  ): MetricsRowData[] {
    const seen = [...keys.values()];
    let regions: Array<string | null> = [null];
    if (dims.has('REGION')) {
      const known = new Set(skeleton); // a Set: a village ranking has tens of thousands of regions
      const extra = [...new Set(seen.map((k) => k[1]).filter((r): r is string => r !== null && !known.has(r)))].sort(cmp);
      regions = [...skeleton, ...extra, ...(seen.some((k) => k[1] === null) ? [null] : [])];
    }
    const wantsData = DATA_DIMS.some((d) => dims.has(d));
    const combos = new Map<string, Key>();
    if (!wantsData) combos.set('', [null, null, null, null, null, null]);
    else for (const k of seen) combos.set(JSON.stringify(k.slice(2)), k);
    const others = [...combos.values()].map((k) => k.slice(2) as [string | null, string | null, string | null, string | null]).sort(cmpTuple);

    const ctx = { config: this.config };
    // One series per region (skeleton order) and data-dimension combination; stocks run along
    // each series' periods. Rows come out by period, then series: the order clients get.
    // A cell's id is the period's part then the rest's (cellIds): the series keep the rest.
    const ids = cellIds(dims);
    const series = regions.flatMap((region) => others.map((o) => ({ region, o, tail: ids.tail(region, o[0], o[1], o[2], o[3]), backlog: 0, pairings: 0, households: 0, paired: 0 })));
    const rows: MetricsRowData[] = [];
    for (const period of periods) {
      const head = ids.head(period);
      for (const s of series) {
        // Each cell belongs to one row, so its stocks are set on it in place (a copy per row
        // cost more than the rest of a county trend's assembly).
        const cell: Cell = cells.get(head + s.tail) ?? {};
        // Stocks come back as changes per bucket (summed up here) or, for BACKLOG over few
        // buckets, counted at each bucket's instant.
        cell.backlog = stockCounted ? (cell.backlogStock ?? 0) : (s.backlog += cell.backlogDelta ?? 0);
        cell.pairings = s.pairings += cell.pairingsDelta ?? 0;
        cell.households = s.households += cell.householdsDelta ?? 0;
        // Households paired come as a stock per bucket from the tables, or as its changes from the paired-households rollup.
        if (cell.pairedHouseholdsDelta !== undefined || s.paired !== 0) cell.pairedHouseholds = s.paired += cell.pairedHouseholdsDelta ?? 0;
        rows.push({
          period,
          regionId: s.region,
          cadreId: s.o[0],
          departmentId: s.o[1],
          category: s.o[2] as IssueCategory | null,
          channel: s.o[3] as IssueChannel | null,
          values: measures.map((m) => m.value(cell as Parts, ctx)),
        });
      }
    }
    return rows;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Nulls last, then code-unit order (the ids' binary collation on both stores). */
function cmpTuple(a: Array<string | null>, b: Array<string | null>): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === null) return 1;
    if (b[i] === null) return -1;
    return cmp(a[i]!, b[i]!);
  }
  return 0;
}

const without = (parts: ReadonlySet<string>, part: string) => new Set([...parts].filter((p) => p !== part));

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The regions a query's facts are under (MetricsService.roots). */
interface Roots {
  ids: string[];
  levels: RegionLevel[];
}

/** mysql2 returns BIGINT/DECIMAL as strings and SUM over nothing as NULL: numbers, 0 for none. */
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * One component of a cell's key: "-" for none, else the length, a colon and the value. The
 * lengths make the concatenation unambiguous whatever the ids hold, and it costs a fraction of
 * JSON.stringify of the key (a county trend merges and assembles every row on each request).
 */
const keyPart = (v: string | null) => (v === null ? '-' : `${v.length}:${v}`);

/**
 * A cell's id in a query over `dims`, as the period's part (`head`) then the other dimensions'
 * (`tail`): with more than one dimension their keyParts; with one, its value as it is and '' for
 * none (no id, date or enum value is empty), so a query by one dimension builds no string per row
 * (a scorecard merges 82,000 cadres from each of five statements).
 */
function cellIds(dims: ReadonlySet<Dimension>) {
  const present = (['REGION', 'CADRE', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'] as const).map((d) => dims.has(d));
  const period = dims.has('PERIOD');
  const single = present.filter(Boolean).length + (period ? 1 : 0) === 1;
  const only = present.indexOf(true);
  return {
    head: (p: string | null): string => (!period ? '' : single ? (p ?? '') : keyPart(p)),
    tail: (g: string | null, c: string | null, d: string | null, cat: string | null, ch: string | null): string => {
      if (single) return (only === 0 ? g : only === 1 ? c : only === 2 ? d : only === 3 ? cat : only === 4 ? ch : '') ?? '';
      return (present[0] ? keyPart(g) : '') + (present[1] ? keyPart(c) : '') + (present[2] ? keyPart(d) : '') + (present[3] ? keyPart(cat) : '') + (present[4] ? keyPart(ch) : '');
    },
  };
}

/** After every date a query asks about: pieces of a date rollup all count. */
const LAST_DATE = '9999-12-31';

/**
 * A stock of spells on each bucket's last day from a rollup of the days they start and end on
 * (dates have no zone): the pieces of the starts up to those days and of the ends up to the day before.
 */
const lastDayPieces = (plan: QueryPlan) => {
  const ends = plan.buckets.map((b) => b.lastDate);
  return [ends, ends.map((d) => addDays(d, -1))].map((days) => stockPieces(plan, days, LAST_DATE)) as [BucketPieces[], BucketPieces[]];
};

/** The parts the households and pairings families' statements give, each by its own branch. */
const BRANCH_PARTS = ['households', 'coveredHouseholds', 'pairedHouseholds', 'pairings', 'coveredPairings'];

/** The parts of the branches of the pairings and households statements. */
const PART_OF_BRANCH: Record<string, string> = {
  active: 'pairingsDelta',
  pairedDelta: 'pairedHouseholdsDelta',
  covered: 'coveredPairings',
  households: 'householdsDelta',
  coveredHousehold: 'coveredHouseholds',
  paired: 'pairedHouseholds',
};

/** The durations of each cell (by cell key, then kind), for the percentiles. */
type DurationValues = Map<string, Map<string, number[]>>;

/**
 * Each cell's percentiles from its durations, the PERCENTILE_CONT rule: for sorted values
 * v[0..n−1] and p = pn/pd, position p·(n−1) (kept in integers: pn·(n−1) against pd), linear
 * between its floor and ceil ranks; in hours, exact (ms / 3,600,000). `…N` is n.
 */
function fillPercentiles(values: DurationValues, cells: Map<string, Cell>, wanted: readonly DurationId[]): void {
  for (const [id, byKind] of values) {
    const cell = cells.get(id)!;
    // Sorted as doubles (a typed array sorts numerically, natively): a city's cell holds millions.
    const sorted = new Map([...byKind].map(([kind, list]) => [kind, Float64Array.from(list).sort()]));
    for (const part of wanted) {
      const { kind, pn, pd } = DURATIONS[part];
      const v = sorted.get(kind);
      if (!v?.length) continue;
      const pos = pn * (v.length - 1);
      const floor = Math.floor(pos / pd);
      const frac = (pos - floor * pd) / pd;
      const lo = v[floor];
      const hi = v[Math.min(v.length - 1, floor + (pos % pd === 0 ? 0 : 1))];
      cell[part] = (lo + (hi - lo) * frac) / HOUR_MS;
      cell[`${part}N`] = v.length;
    }
  }
}

/** The part of each family that counts its facts (always in its statements). */
const COUNT_PART: Partial<Record<FamilyId, string>> = { satisfaction: 'responses', visits: 'visits', issues: 'issuesReceived' };

/**
 * After a correction, a cell whose facts it took away entirely is no row (the raw statements
 * give none for it): a cell stays when a family not corrected gave it, or a corrected family
 * still counts facts in it.
 */
function dropUncounted(corrected: readonly FamilyId[], seen: Map<string, Set<FamilyId>>, cells: Map<string, Cell>, keys: Map<string, Key>): void {
  for (const [id, families] of seen) {
    const cell = cells.get(id)!;
    if ([...families].some((f) => !corrected.includes(f) || (cell[COUNT_PART[f]!] ?? 0) !== 0)) continue;
    cells.delete(id);
    keys.delete(id);
  }
}

/** How a statement's rows meet the null-region cells (Statement byRegion), and which cells each kind gave. */
interface NullRows {
  byRegion?: Statement['byRegion'];
  /** Null-region cells that a region rollup's root or level rows gave. */
  derived: Set<string>;
  /** Cells that any other statement gave. */
  other: Set<string>;
}

/**
 * Adds each statement row's parts into its cell (its id from cellIds, its key all six dimensions,
 * null where absent);
 * a level row of a region rollup (`nullRows.byRegion` 'level') is also taken away from the
 * null-region cell of its key, where the root's rows were or will be added.
 */
function mergeRows(
  family: FamilyId,
  rows: ReadonlyArray<Record<string, unknown>>,
  dims: ReadonlySet<Dimension>,
  buckets: readonly Bucket[],
  cells: Map<string, Cell>,
  keys: Map<string, Key>,
  seen: Map<string, Set<FamilyId>> | null,
  values: DurationValues,
  nullRows: NullRows | null = null,
): void {
  // Column names come back in the case written on SQLite and MySQL alike; read them as written.
  const [period, region, cadre, department, category, channel] = (['PERIOD', 'REGION', 'CADRE', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'] as const).map((d) =>
    dims.has(d) ? KEY_ALIAS[d] : null,
  );
  const k = (r: Record<string, unknown>, alias: string | null) => (alias === null ? null : str(r[alias]));
  // The parts are every column but the keys (the k_ aliases); a branch row's are its part and n.
  const partColumns = rows.length ? Object.keys(rows[0]).filter((c) => !c.startsWith('k_')) : [];
  // A cell's key is built only for a cell not seen yet (a scorecard merges every cadre six times).
  const into = (id: string, key: () => Key, isNull: boolean, r: Record<string, unknown>, sign: 1 | -1) => {
    let cell = cells.get(id);
    if (!cell) {
      cells.set(id, (cell = {}));
      keys.set(id, key());
    }
    if (seen) {
      const by = seen.get(id);
      if (by) by.add(family);
      else seen.set(id, new Set([family]));
    }
    if (nullRows) (nullRows.byRegion && isNull ? nullRows.derived : nullRows.other).add(id);
    mergeParts(family, r, cell, id, values, sign, partColumns);
  };
  const levelRows = nullRows?.byRegion === 'level';
  const ids = cellIds(dims);
  for (const r of rows) {
    // The statements group by bucket index; the row's period is that bucket's start date.
    const p = period === null ? null : buckets[Number(r[period])].period;
    const [g, c, d, cat, ch] = [k(r, region), k(r, cadre), k(r, department), k(r, category), k(r, channel)];
    const head = ids.head(p);
    into(head + ids.tail(g, c, d, cat, ch), () => [p, g, c, d, cat, ch], g === null, r, 1);
    if (levelRows) into(head + ids.tail(null, c, d, cat, ch), () => [p, null, c, d, cat, ch], true, r, -1);
  }
}

/**
 * The null-region cells that only region rollups' root and level rows gave and that sum to
 * nothing are no row: no fact lies under no region of the level there (the raw families give
 * no row for it either; a rollup read's count part is among its parts).
 */
function dropEmptyNullRows(nullRows: NullRows, cells: Map<string, Cell>, keys: Map<string, Key>, seen: Map<string, Set<FamilyId>> | null): void {
  for (const id of nullRows.derived) {
    const cell = cells.get(id);
    if (!cell || nullRows.other.has(id) || Object.values(cell).some((v) => v !== 0)) continue;
    cells.delete(id);
    keys.delete(id);
    seen?.delete(id);
  }
}

function mergeParts(family: FamilyId, r: Record<string, unknown>, cell: Cell, id: string, values: DurationValues, sign: 1 | -1, partColumns: readonly string[]): void {
  if (family === 'issueDurations') {
    // Every duration of the cell, by kind: the percentiles are picked once all statements are in.
    let byKind = values.get(id);
    if (!byKind) values.set(id, (byKind = new Map()));
    const kind = String(r.m);
    const list = byKind.get(kind);
    if (list) list.push(num(r.v));
    else byKind.set(kind, [num(r.v)]);
    return;
  }
  if (family === 'pairings' || family === 'households') {
    const c = PART_OF_BRANCH[String(r.part)];
    cell[c] = (cell[c] ?? 0) + sign * num(r.n);
    return;
  }
  // Every other column is a part: added, so a rollup's answer and its correction sum.
  for (const c of partColumns) cell[c] = (cell[c] ?? 0) + sign * num(r[c]);
}
