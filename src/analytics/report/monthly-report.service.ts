import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import type { Principal, Scope } from '../../domain/access';
import { scopeOf } from '../../domain/access';
import { RegionLevel, RegionLevels } from '../../domain/enums';
import { badInput, forbidden, UserError } from '../../domain/errors';
import { Better, Measure } from '../analytics.enums';
import { CATALOGUE, MeasureDefinition, MetricValueData } from '../catalogue';
import type { DashboardFilterData, DashboardService, FestivalRowData, RankingEntryData } from '../dashboard/dashboard.service';
import { DepartmentRowData, rankDepartments } from '../dashboard/departments';
import { RankPlaceData, rankChange } from '../dashboard/ranking-change';
import type { ScorecardData, ScorecardService } from '../dashboard/scorecard.service';
import { checkAsOf } from '../metrics.service';
import type { MetricsService } from '../metrics.service';
import { addMonths, monthNameZh, monthRange, parseMonth } from '../months';
import {
  CONTENT_FORMAT,
  findPublication,
  insertPublication,
  listPublications,
  PublicationData,
  PublicationFilter,
  publicationContent,
  publicationInScope,
  ReportKey,
} from './published-reports';

/*
 * The monthly ranked report (月度通报, action.md "Monthly ranked report"): every region of a level
 * ranked by a measure for one local month of the reporting zone, with the month before (环比) and
 * the same month a year before (同比) ranked the same way, the bottom three, the handling
 * departments, the vetoed and behind-pace cadres and the regions visiting only at festivals.
 * Every number is the engine's, through the dashboard's ranking, department and festival panels
 * and the cadre scorecards; nothing here computes a measure.
 */

/** What a report is asked for. */
export interface MonthlyReportArgs {
  month: string;
  level: RegionLevel;
  /** Default THREE_RATE_SCORE (三率综合). */
  measure?: Measure | null;
  regionId?: string | null;
  /** Default now. */
  asOf?: Date | null;
}

export const DEFAULT_REPORT_MEASURE: Measure = 'THREE_RATE_SCORE';
/** The bottom of the ranking named in the notice: the last three regions with a value, ties included. */
export const BOTTOM_COUNT = 3;
/** Festival-only visiting is judged over the twelve months ending with the report month: both festivals, a whole year's visiting. */
export const FESTIVAL_MONTHS = 12;

/** A region's row: its place this month, the month before and a year before. */
export interface ReportRowData {
  regionId: string;
  rank: number;
  tieBand: number;
  value: MetricValueData;
  previous: RankPlaceData;
  yearAgo: RankPlaceData;
  /** previous.rank − rank (positive: rose); null unless both have a value. */
  rankChange: number | null;
  /** yearAgo.rank − rank; null unless both have a value. */
  yearAgoRankChange: number | null;
}

/** A rendered report: plain data, stored as JSON when published. */
export interface MonthlyReportData {
  month: string;
  level: RegionLevel;
  measure: Measure;
  better: Better;
  regionId: string | null;
  timeZone: string;
  /** The instant every number is as of. */
  asOf: Date;
  from: string;
  to: string;
  previousMonth: string;
  yearAgoMonth: string;
  rows: ReportRowData[];
  bottom: ReportRowData[];
  departments: DepartmentRowData[];
  /** Cadres: the scorecard year of the month, as of the month's end (or asOf, if earlier). */
  scorecardYear: number;
  cadresAsOf: Date;
  vetoedCadres: ScorecardData[];
  behindPaceCadres: ScorecardData[];
  /** Festival-only visiting over the twelve months ending with the month. */
  festivalFrom: string;
  festivalTo: string;
  festivalRegions: FestivalRowData[];
}

/** A published report: the publication and its report as rendered then. */
export interface PublishedReportData {
  publication: PublicationData;
  report: MonthlyReportData;
}

/** The notice's title (关于2026年3月群众诉求办理情况的通报). */
export const reportTitle = (month: string) => `关于${monthNameZh(month)}群众诉求办理情况的通报`;

/** The measure a report ranks by must be a catalogue measure that can be grouped by REGION; BAD_USER_INPUT naming it otherwise. */
export function rankableMeasure(measure: unknown, catalogue: ReadonlyMap<string, Pick<MeasureDefinition, 'dimensions' | 'better'>> = CATALOGUE): Measure {
  const def = typeof measure === 'string' ? catalogue.get(measure) : undefined;
  if (!def) throw badInput(`measure ${JSON.stringify(measure)} is not a measure of the catalogue`, { argument: 'measure' });
  if (!def.dimensions.includes('REGION')) throw badInput(`measure ${measure as string} cannot be ranked by region (it has no REGION dimension)`, { argument: 'measure' });
  return measure as Measure;
}

/**
 * The rows of the last `n` regions with a value, in rank order, ties included: every valued row
 * ranked at or below the n-th valued row from the end.
 */
export function bottomOf<T extends { rank: number; value: MetricValueData }>(rows: readonly T[], n = BOTTOM_COUNT): T[] {
  const valued = rows.filter((r) => r.value.value !== null);
  if (valued.length <= n) return valued;
  const line = valued[valued.length - n].rank;
  return valued.filter((r) => r.rank >= line);
}

/** Monthly reports: rendered live, published (stored with their asOf and content), listed. */
export class MonthlyReportService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly deps: { metrics: MetricsService; dashboard: DashboardService; scorecards: ScorecardService },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The report as of `asOf` (default now), inside `scope`. */
  async render(args: MonthlyReportArgs, scope: Scope): Promise<MonthlyReportData> {
    const { metrics: engine, dashboard, scorecards } = this.deps;
    const measure = rankableMeasure(args.measure ?? DEFAULT_REPORT_MEASURE);
    const level = checkLevel(args.level);
    const month = parseMonth(args.month);
    checkAsOf(args.asOf);
    const asOf = args.asOf ?? this.now();
    const zone = this.config.reportingTimeZone;
    const today = engine.calendar.today(zone, asOf);
    if (month.from > today) throw badInput(`month ${month.month} has not begun as of ${asOf.toISOString()} (${zone})`, { argument: 'month' });
    const regionId = args.regionId ?? null;
    // Validates the region against the scope (FORBIDDEN / NOT_FOUND) once for every section.
    const f = await dashboard.resolveFilter({ from: month.from, to: month.to, regionId, asOf }, scope);
    const inMonth = (m: string): DashboardFilterData => ({ ...f, ...monthRange(m) });

    const current = await dashboard.ranking(f, scope, level, measure);
    if (current.length === 0) {
      throw badInput(`there is no ${level} region ${regionId === null ? 'in your scope' : `under region ${regionId}`}`, { argument: 'level' });
    }
    const previousMonth = addMonths(month.month, -1);
    const yearAgoMonth = addMonths(month.month, -12);
    const festival = { from: monthRange(addMonths(month.month, 1 - FESTIVAL_MONTHS)).from, to: month.to };
    const year = Number(month.month.slice(0, 4));
    // Cadres are judged on their year up to the month's end: what they did after it is next month's report.
    const cadresAsOf = new Date(Math.min(engine.calendar.endOfDay(month.to, zone) - 1, asOf.getTime()));
    const [previous, yearAgo, departments, cards, festivalRows] = await Promise.all([
      dashboard.ranking(inMonth(previousMonth), scope, level, measure),
      dashboard.ranking(inMonth(yearAgoMonth), scope, level, measure),
      rankDepartments(engine, f, scope, 'TRANSFER_RATE'),
      scorecards.all(year, scope, regionId, cadresAsOf),
      dashboard.festivalVisiting({ ...f, ...festival }, scope, level),
    ]);
    const placeIn = placesOf(previous);
    const placeAgo = placesOf(yearAgo);
    const rows = current.map((e): ReportRowData => {
      const before = placeIn(e.regionId, measure);
      const ago = placeAgo(e.regionId, measure);
      const now = { rank: e.rank, value: e.value };
      return { regionId: e.regionId, rank: e.rank, tieBand: e.tieBand, value: e.value, previous: before, yearAgo: ago, rankChange: rankChange(now, before), yearAgoRankChange: rankChange(now, ago) };
    });
    const byId = (a: ScorecardData, b: ScorecardData) => (a.cadreId < b.cadreId ? -1 : a.cadreId > b.cadreId ? 1 : 0);
    const satisfaction = (c: ScorecardData) => c.satisfaction.value ?? 0;
    const paceShare = (c: ScorecardData) => (c.stayPace > 0 ? c.stayDays / c.stayPace : 1);
    return {
      month: month.month,
      level,
      measure,
      better: CATALOGUE.get(measure)!.better,
      regionId,
      timeZone: zone,
      asOf,
      from: month.from,
      to: month.to,
      previousMonth,
      yearAgoMonth,
      rows,
      bottom: bottomOf(rows),
      departments,
      scorecardYear: year,
      cadresAsOf,
      // Worst first: the lowest satisfied rate, the furthest behind the pace; ties by cadre id.
      vetoedCadres: cards.filter((c) => c.vetoed).sort((a, b) => satisfaction(a) - satisfaction(b) || byId(a, b)),
      behindPaceCadres: cards.filter((c) => c.behindPace).sort((a, b) => paceShare(a) - paceShare(b) || byId(a, b)),
      festivalFrom: festival.from,
      festivalTo: festival.to,
      festivalRegions: festivalRows.filter((r) => r.flagged && r.regionId !== null),
    };
  }

  /**
   * Publishes the report as of this instant: stores its terms, its asOf and the report as
   * rendered now, as the next version of the same report. A published report reads the same
   * forever after: late facts dated after its asOf would not change an as-of render, but facts
   * dated before it and recorded later would, so readers get the stored rendering.
   */
  async publish(args: Omit<MonthlyReportArgs, 'asOf'>, by: Principal): Promise<PublishedReportData> {
    const at = this.now();
    const report = await this.render({ ...args, asOf: at }, scopeOf(by));
    const key: ReportKey = { month: report.month, level: report.level, measure: report.measure, regionId: report.regionId };
    const publication = await insertPublication(this.ds, key, at, by, serializeReport(report));
    return { publication, report };
  }

  /** The publications visible in `scope`, newest first (at most `limit`). */
  list(filter: PublicationFilter, scope: Scope, limit = 100): Promise<PublicationData[]> {
    if (filter.month != null) parseMonth(filter.month);
    return listPublications(this.ds, scope, filter, limit);
  }

  /** Version `version` of a published report; NOT_FOUND when there is none, FORBIDDEN outside the scope. */
  async published(args: Omit<MonthlyReportArgs, 'asOf'> & { version: number }, scope: Scope): Promise<PublishedReportData> {
    const measure = rankableMeasure(args.measure ?? DEFAULT_REPORT_MEASURE);
    const key: ReportKey = { month: parseMonth(args.month).month, level: checkLevel(args.level), measure, regionId: args.regionId ?? null };
    if (!Number.isInteger(args.version) || args.version < 1) throw badInput(`version must be a positive whole number, got ${args.version}`, { argument: 'version' });
    const found = await findPublication(this.ds, key, args.version);
    if (!found) throw new UserError('NOT_FOUND', `report ${key.month} ${key.level} ${key.measure}${key.regionId ? ` of ${key.regionId}` : ''} has no published version ${args.version}`);
    if (!(await publicationInScope(this.ds, found, scope))) throw forbidden('that published report covers regions outside your scope');
    const { format, content, ...publication } = found;
    return { publication, report: deserializeReport(format, content) };
  }

  /** The report of a publication (as listed), rendered as it was published. */
  async reportOf(p: PublicationData, scope: Scope): Promise<MonthlyReportData> {
    if (!(await publicationInScope(this.ds, p, scope))) throw forbidden('that published report covers regions outside your scope');
    const stored = await publicationContent(this.ds, p.id);
    if (!stored) throw new UserError('NOT_FOUND', `published report ${p.id} does not exist`);
    return deserializeReport(stored.format, stored.content);
  }
}

/** The level must be a RegionLevel (GraphQL checks it; other callers may not). */
function checkLevel(level: unknown): RegionLevel {
  if (!(RegionLevels.values as readonly unknown[]).includes(level)) {
    throw badInput(`level must be one of ${RegionLevels.values.join(', ')}, got ${JSON.stringify(level)}`, { argument: 'level' });
  }
  return level as RegionLevel;
}

/** A lookup of a ranking's places by region; a region missing from it (none today: rankings cover every region of the level) ranks last without a value. */
function placesOf(entries: readonly RankingEntryData[]): (regionId: string, measure: Measure) => RankPlaceData {
  const byRegion = new Map(entries.map((e) => [e.regionId, { rank: e.rank, value: e.value }]));
  const last = entries.filter((e) => e.value.value !== null).length + 1;
  return (regionId, measure) =>
    byRegion.get(regionId) ?? { rank: last, value: { measure, value: null, numerator: null, denominator: null, low: null, high: null, suppressed: false } };
}

/** The report as stored: JSON, instants as ISO strings (numbers round-trip exactly through JSON). */
export function serializeReport(r: MonthlyReportData): string {
  return JSON.stringify(r);
}

/** A stored report back as data. */
export function deserializeReport(format: number, content: string): MonthlyReportData {
  if (format !== CONTENT_FORMAT) throw new Error(`published report content format ${format} is not readable by this version (expects ${CONTENT_FORMAT})`);
  const r = JSON.parse(content) as MonthlyReportData & { asOf: string; cadresAsOf: string };
  return { ...r, asOf: new Date(r.asOf), cadresAsOf: new Date(r.cadresAsOf) };
}
