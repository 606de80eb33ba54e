import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { analyticsQuery } from '../../database/replica-reads';
import { IssueCategories, IssueCategory, IssueChannel, RegionLevel } from '../../domain/enums';
import { badInput } from '../../domain/errors';
import type { Scope } from '../../domain/access';
import { Granularity, Measure, Measures } from '../analytics.enums';
import { CATALOGUE, countOf, MetricValueData, rateOf } from '../catalogue';
import { issueStateAsOfSql } from '../measures/issue-facts.sql';
import { render } from '../measures/query-plan';
import { checkAsOf, checkRegionFilter, MetricsQueryArgs, MetricsRowData, MetricsService } from '../metrics.service';
import { countDays } from '../calendar';
import { checkRange, DateRange, previousRange } from './dashboard-dates';
import { rankWithBands } from './tie-bands';

/** A dashboard request, resolved once so every panel answers for the same instant and range. */
export interface DashboardFilterData {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  timeZone: string;
  /** Fixed when the dashboard is asked for (default now), shared by all panels. */
  asOf: Date;
  regionId: string | null;
  categories: IssueCategory[] | null;
  channels: IssueChannel[] | null;
}

export interface DashboardFilterInput {
  from: string;
  to: string;
  regionId?: string | null;
  timeZone?: string | null;
  categories?: IssueCategory[] | null;
  channels?: IssueChannel[] | null;
  asOf?: Date | null;
}

/** The KPI tiles of the overview, in display order. */
export const OVERVIEW_MEASURES: Measure[] = [
  'SATISFIED_RATE',
  'SATISFACTION_AVG',
  'RESPONSES',
  'RESPONSE_RATE',
  'RESOLUTION_RATE',
  'CLOSURE_RATE',
  'CONTACTED_RATE',
  'REPEAT_RATE',
  'BACKLOG',
  'VISITS',
  // Household measures: placed by the household's region, never filtered by issue category or channel.
  'VISIT_COVERAGE',
  'PAIRED_COVERAGE',
  'PAIRED_HOUSEHOLD_RATE',
  'THREE_RATE_SCORE',
];

/** A region whose share of visits at festivals reaches this is flagged (逢年过节才走访). */
export const FESTIVAL_FLAG_SHARE = 0.8;

/** Ageing bands of open issues at the end instant, lower bound inclusive (exactly 3 days is 3–7). */
export const AGEING_BANDS: Array<{ key: string; label: string; minDays: number; maxDays: number | null }> = [
  { key: 'D0_3', label: '3天内', minDays: 0, maxDays: 3 },
  { key: 'D3_7', label: '3–7天', minDays: 3, maxDays: 7 },
  { key: 'D7_15', label: '7–15天', minDays: 7, maxDays: 15 },
  { key: 'D15_30', label: '15–30天', minDays: 15, maxDays: 30 },
  { key: 'D30_', label: '30天以上', minDays: 30, maxDays: null },
];
/** Departments listed per ageing band, most open issues first. */
export const AGEING_TOP_DEPARTMENTS = 5;
const DAY_MS = 86_400_000;

export interface KpiTileData {
  measure: Measure;
  label: string;
  value: MetricValueData;
  previous: MetricValueData;
  change: number | null;
}

export interface TrendPointData {
  period: string;
  values: MetricValueData[];
}

export interface RankingEntryData {
  rank: number;
  regionId: string;
  value: MetricValueData;
  count: number;
  tieBand: number;
  tiedWith: string[];
}

export interface CategoryRowData {
  category: IssueCategory;
  label: string;
  received: number;
  closure: MetricValueData;
  resolution: MetricValueData;
  satisfied: MetricValueData;
  falseClosure: MetricValueData;
}

export interface AgeingBucketData {
  key: string;
  label: string;
  minDays: number;
  maxDays: number | null;
  count: number;
  departments: Array<{ departmentId: string | null; count: number }>;
}

export interface FestivalRowData {
  regionId: string | null;
  visits: number;
  holidayVisits: number;
  share: MetricValueData;
  flagged: boolean;
}

export interface FalseClosureRowData {
  regionId: string | null;
  unitResolvedAnswered: number;
  denied: number;
  rate: MetricValueData;
  closure: MetricValueData;
  resolution: MetricValueData;
  /** closure rate − resolution rate: how much more the units report than residents confirm. */
  gap: number | null;
}

/** Measures read from issues, to which the category/channel filters apply. */
const isIssueMeasure = (m: Measure) => CATALOGUE.get(m)!.dimensions.includes('CATEGORY');
const isSatisfaction = (m: Measure) => m === 'SATISFIED_RATE' || m === 'SATISFACTION_AVG' || m === 'DISSATISFIED_RATE';

/**
 * The typed dashboard panels (api.md "Typed dashboard queries"), each one engine call
 * (overview: two, current and previous period) or, for backlog ageing, one statement over
 * the engine's as-of issue state. No panel has SQL of its own for a measure.
 */
export class DashboardService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly engine: MetricsService,
  ) {}

  /** Validates a dashboard filter and fixes its previous period and asOf (default now). */
  async resolveFilter(input: DashboardFilterInput, scope: Scope, now: Date = new Date()): Promise<DashboardFilterData> {
    const range: DateRange = { from: input.from, to: input.to };
    const timeZone = this.engine.calendar.checkZone(input.timeZone ?? this.config.reportingTimeZone);
    this.engine.calendar.localDate(range.from, timeZone, 'from');
    this.engine.calendar.localDate(range.to, timeZone, 'to');
    checkRange(range);
    // Checked here too (the engine checks each call) so the dashboard fails once, not per panel.
    const days = countDays(range.from, range.to);
    if (days > this.config.limits.maxRangeDays) {
      throw badInput(`from–to covers ${days} days; at most ${this.config.limits.maxRangeDays} are allowed`, { argument: 'to' });
    }
    const prev = previousRange(range);
    const regionId = input.regionId ?? null;
    if (regionId !== null) await checkRegionFilter(this.ds, regionId, scope);
    checkAsOf(input.asOf);
    return {
      ...range,
      previousFrom: prev.from,
      previousTo: prev.to,
      timeZone,
      asOf: input.asOf ?? now,
      regionId,
      categories: input.categories?.length ? [...input.categories] : null,
      channels: input.channels?.length ? [...input.channels] : null,
    };
  }

  /** KPI tiles for the range and the same number of days before it (same asOf). */
  async overview(f: DashboardFilterData, scope: Scope): Promise<KpiTileData[]> {
    const [cur, prev] = await Promise.all([
      this.compute(f, { measures: OVERVIEW_MEASURES }, scope),
      this.compute({ ...f, from: f.previousFrom, to: f.previousTo }, { measures: OVERVIEW_MEASURES }, scope),
    ]);
    return OVERVIEW_MEASURES.map((measure, i) => {
      const value = cur[0].values[i];
      const previous = prev[0].values[i];
      return {
        measure,
        label: Measures.labels[measure][0],
        value,
        previous,
        change: value.value === null || previous.value === null ? null : value.value - previous.value,
      };
    });
  }

  /** One point per bucket of the range. */
  async trend(f: DashboardFilterData, scope: Scope, granularity: Granularity, measures: Measure[] | null): Promise<TrendPointData[]> {
    const list = measures?.length ? measures : OVERVIEW_MEASURES;
    const rows = await this.compute(f, { measures: list, dimensions: ['PERIOD'], granularity }, scope);
    return rows.map((r) => ({ period: r.period!, values: r.values }));
  }

  /** Regions of `level` ranked by `measure` (best first, by the catalogue's `better`) with tie bands of overlapping 95 % intervals. */
  async ranking(f: DashboardFilterData, scope: Scope, level: RegionLevel, measure: Measure): Promise<RankingEntryData[]> {
    // Satisfaction cells may be suppressed (no denominator): their facts are the responses.
    const companion: Measure | null = isSatisfaction(measure) ? 'RESPONSES' : measure === 'THREE_RATE_SCORE' ? 'ISSUES_RECEIVED' : null;
    const measures = companion ? [measure, companion] : [measure];
    const rows = (await this.compute(f, { measures, dimensions: ['REGION'], regionLevel: level }, scope)).filter((r) => r.regionId !== null);
    const entries = rows.map((r) => {
      const v = r.values[0];
      const count = companion ? (r.values[1].value ?? 0) : (v.denominator ?? v.value ?? 0);
      return { regionId: r.regionId as string, value: v, count };
    });
    // Best first as the catalogue says (LOWER: the smallest value ranks 1).
    const placed = rankWithBands(entries, (e) => e.value, (a, b) => (a.regionId < b.regionId ? -1 : a.regionId > b.regionId ? 1 : 0), CATALOGUE.get(measure)!.better);
    // Band members by band, so a ranking of tens of thousands of villages stays linear.
    const bands = new Map<number, string[]>();
    for (const e of placed) {
      const band = bands.get(e.tieBand);
      if (band) band.push(e.regionId);
      else bands.set(e.tieBand, [e.regionId]);
    }
    return placed.map((e) => ({
      rank: e.rank,
      regionId: e.regionId,
      value: e.value,
      count: e.count,
      tieBand: e.tieBand,
      tiedWith: bands.get(e.tieBand)!.filter((id) => id !== e.regionId),
    }));
  }

  /** Per issue category (all, or the filtered ones): received, closure, resolution, satisfied, false closure. */
  async categories(f: DashboardFilterData, scope: Scope): Promise<CategoryRowData[]> {
    const measures: Measure[] = ['ISSUES_RECEIVED', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'ISSUE_SATISFIED_RATE', 'FALSE_CLOSURE_RATE'];
    const rows = await this.compute(f, { measures, dimensions: ['CATEGORY'] }, scope);
    const byCategory = new Map(rows.map((r) => [r.category, r.values]));
    const all = f.categories ?? IssueCategories.values;
    const out = all.map((category) => {
      const v = byCategory.get(category);
      return {
        category,
        label: IssueCategories.labels[category][0],
        received: v?.[0].value ?? 0,
        closure: v?.[1] ?? rateOf('CLOSURE_RATE', 0, 0),
        resolution: v?.[2] ?? rateOf('RESOLUTION_RATE', 0, 0),
        satisfied: v?.[3] ?? rateOf('ISSUE_SATISFIED_RATE', 0, 0),
        falseClosure: v?.[4] ?? rateOf('FALSE_CLOSURE_RATE', 0, 0),
      };
    });
    const order = new Map(IssueCategories.values.map((c, i) => [c, i]));
    return out.sort((a, b) => b.received - a.received || order.get(a.category)! - order.get(b.category)!);
  }

  /**
   * Open issues at the end instant (the next local midnight after `to`, or asOf if earlier) by
   * age, each band with its departments (as of that instant) with the most open issues. The
   * same set as BACKLOG: the bands under the last one from the as-of state of the issues received
   * in their days (one statement), the last band (30 days and more) by department as the rest of
   * the engine's BACKLOG by DEPARTMENT (its rollup: ×100, 0.6 s of a whole backlog's states → a
   * month of issues).
   */
  async backlogAgeing(f: DashboardFilterData, scope: Scope): Promise<AgeingBucketData[]> {
    const endMs = this.engine.calendar.endOfDay(f.to, f.timeZone);
    // As the engine's BACKLOG: state and receipt up to the last instant of the day, inclusive.
    const stockMs = Math.min(endMs - 1, f.asOf.getTime());
    const ageFrom = Math.min(endMs, f.asOf.getTime());
    const oldest = AGEING_BANDS.length - 1;
    // Received after this instant: younger than the last band.
    const recentAfter = Math.trunc(ageFrom) - AGEING_BANDS[oldest].minDays * DAY_MS;
    const params: Record<string, unknown> = {};
    const joins: string[] = [];
    if (scope.regionId !== null) {
      params.p_scope = scope.regionId;
      joins.push('JOIN region_closure sc ON sc.descendant_id = s.region_id AND sc.ancestor_id = :p_scope');
    }
    if (f.regionId !== null) {
      params.p_root = f.regionId;
      joins.push('JOIN region_closure rf ON rf.descendant_id = s.region_id AND rf.ancestor_id = :p_root');
    }
    const where = ['s.closed = 0'];
    const inList = (name: string, values: readonly string[]) =>
      values.map((v, i) => ((params[`p_${name}${i}`] = v), `:p_${name}${i}`)).join(', ');
    if (f.categories) where.push(`s.category IN (${inList('cat', f.categories)})`);
    if (f.channels) where.push(`s.channel IN (${inList('ch', f.channels)})`);
    const band = AGEING_BANDS.slice(1, oldest)
      .map((b, i) => `WHEN ${Math.trunc(ageFrom)} - s.received_at < ${b.minDays * DAY_MS} THEN ${i}`)
      .join(' ');
    const sql = `SELECT CASE ${band} ELSE ${oldest - 1} END AS band, s.department_id AS department_id, COUNT(*) AS n
  FROM (${issueStateAsOfSql(stockMs, (a) => `${a}.received_at <= ${Math.trunc(stockMs)} AND ${a}.received_at > ${recentAfter}`, 'open')}) s
  ${joins.join('\n  ')}
 WHERE ${where.join(' AND ')}
 GROUP BY band, s.department_id`;
    const { sql: text, params: values } = render({ sql, params });
    const [recent, backlog] = await Promise.all([
      analyticsQuery<{ band: unknown; department_id: unknown; n: unknown }>(this.ds, text, values),
      this.compute(f, { measures: ['BACKLOG'], dimensions: ['DEPARTMENT'] }, scope),
    ]);
    const rows = recent.map((r) => ({ band: Number(r.band), departmentId: r.department_id == null ? null : String(r.department_id), count: Number(r.n) }));
    // The oldest band: each department's backlog less its younger open issues.
    const younger = new Map<string | null, number>();
    for (const r of rows) younger.set(r.departmentId, (younger.get(r.departmentId) ?? 0) + r.count);
    for (const r of backlog) {
      const count = (r.values[0].value ?? 0) - (younger.get(r.departmentId) ?? 0);
      if (count !== 0) rows.push({ band: oldest, departmentId: r.departmentId, count });
    }
    return AGEING_BANDS.map((b, i) => {
      const mine = rows.filter((r) => r.band === i).map((r) => ({ departmentId: r.departmentId, count: r.count }));
      mine.sort((x, y) => y.count - x.count || cmpNullLast(x.departmentId, y.departmentId));
      return { ...b, count: mine.reduce((s, d) => s + d.count, 0), departments: mine.slice(0, AGEING_TOP_DEPARTMENTS) };
    });
  }

  /** Per region of `level`: visits, festival visits and their share, flagged at ≥ 80 %. */
  async festivalVisiting(f: DashboardFilterData, scope: Scope, level: RegionLevel): Promise<FestivalRowData[]> {
    const rows = await this.compute(f, { measures: ['VISITS', 'HOLIDAY_VISIT_SHARE'], dimensions: ['REGION'], regionLevel: level }, scope);
    return rows.map((r) => {
      const share = r.values[1];
      return {
        regionId: r.regionId,
        visits: r.values[0].value ?? 0,
        holidayVisits: share.numerator ?? 0,
        share,
        flagged: share.value !== null && share.value >= FESTIVAL_FLAG_SHARE,
      };
    });
  }

  /** Per region of `level`: resident-denied closures (报喜不报忧) and closure vs resolution rate. */
  async falseClosures(f: DashboardFilterData, scope: Scope, level: RegionLevel): Promise<FalseClosureRowData[]> {
    const measures: Measure[] = ['FALSE_CLOSURE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE'];
    const rows = await this.compute(f, { measures, dimensions: ['REGION'], regionLevel: level }, scope);
    return rows.map((r) => {
      const [rate, closure, resolution] = r.values;
      return {
        regionId: r.regionId,
        unitResolvedAnswered: rate.denominator ?? 0,
        denied: rate.numerator ?? 0,
        rate,
        closure,
        resolution,
        gap: closure.value === null || resolution.value === null ? null : closure.value - resolution.value,
      };
    });
  }

  /**
   * One engine query with the dashboard filter. Category/channel filters apply to issue
   * measures only (the engine rejects them on others), so a mixed list is split into an
   * issue call and a people call whose rows are merged by their keys.
   */
  private async compute(
    f: Pick<DashboardFilterData, 'from' | 'to' | 'timeZone' | 'asOf' | 'regionId' | 'categories' | 'channels'>,
    q: Pick<MetricsQueryArgs, 'measures' | 'dimensions' | 'regionLevel' | 'granularity'>,
    scope: Scope,
  ): Promise<MetricsRowData[]> {
    const base: MetricsQueryArgs = {
      ...q,
      from: f.from,
      to: f.to,
      timeZone: f.timeZone,
      asOf: f.asOf,
      ...(f.regionId !== null ? { regionId: f.regionId } : {}),
    };
    const filtered = f.categories !== null || f.channels !== null;
    const issue = q.measures.filter(isIssueMeasure);
    const withFilters: MetricsQueryArgs = {
      ...base,
      measures: issue,
      ...(f.categories ? { categories: f.categories } : {}),
      ...(f.channels ? { channels: f.channels } : {}),
    };
    if (!filtered || issue.length === 0) return (await this.engine.compute(base, scope)).rows;
    if (issue.length === q.measures.length) return (await this.engine.compute(withFilters, scope)).rows;
    const people = q.measures.filter((m) => !isIssueMeasure(m));
    const [a, b] = await Promise.all([this.engine.compute(withFilters, scope), this.engine.compute({ ...base, measures: people }, scope)]);
    return mergeRows(q.measures, issue, a.rows, people, b.rows);
  }
}

const rowKey = (r: MetricsRowData) => JSON.stringify([r.period, r.regionId, r.cadreId, r.departmentId, r.category, r.channel]);

/** Merges two engine answers over the same keys into rows with values in `order`. */
function mergeRows(order: Measure[], aMeasures: Measure[], a: MetricsRowData[], bMeasures: Measure[], b: MetricsRowData[]): MetricsRowData[] {
  const bByKey = new Map(b.map((r) => [rowKey(r), r]));
  const aByKey = new Map(a.map((r) => [rowKey(r), r]));
  const keys = [...new Set([...a.map(rowKey), ...b.map(rowKey)])];
  return keys.map((k) => {
    const ra = aByKey.get(k);
    const rb = bByKey.get(k);
    const template = (ra ?? rb)!;
    const values = order.map((m) => {
      const ia = aMeasures.indexOf(m);
      if (ia >= 0) return ra?.values[ia] ?? blankOf(m);
      return rb?.values[bMeasures.indexOf(m)] ?? blankOf(m);
    });
    return { ...template, values };
  });
}

/** A value for a key one half of a split query did not produce (e.g. a null-region row). */
function blankOf(m: Measure): MetricValueData {
  if (isSatisfaction(m)) return { ...countOf(m, 0), value: null, suppressed: true };
  const unit = CATALOGUE.get(m)!.unit;
  return unit === 'RATE' ? rateOf(m, 0, 0) : unit === 'COUNT' || unit === 'DAYS' ? countOf(m, 0) : { ...countOf(m, 0), value: null };
}

function cmpNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
