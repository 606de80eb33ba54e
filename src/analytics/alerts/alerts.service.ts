import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { analyticsQuery } from '../../database/replica-reads';
import type { Scope } from '../../domain/access';
import { AlertSubjectKind, AlertType, AlertTypes, CadreRank } from '../../domain/enums';
import { badInput } from '../../domain/errors';
import { badCursor, cursorOf, cursorPayload, pageSize } from '../../modules/shared/connection';
import { addDays } from '../calendar';
import type { Measure } from '../analytics.enums';
import { QUOTAS, ScorecardService, stayPace } from '../dashboard/scorecard.service';
import type { PartContext } from '../measures/parts';
import { render, Statement } from '../measures/query-plan';
import { checkAsOf, checkRegionFilter, MetricsService } from '../metrics.service';
import { alertCadresSql, AlertSqlContext, deadlineAlertsSql, deniedAlertsSql, repeatAppealAlertsSql, silentPairingAlertsSql } from './alerts.sql';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Scorecard years start here (ScorecardService.window); an asOf before it has no cadre rules. */
const FIRST_CADRE_YEAR = 2000;
/** Up to this many cadres of a region, the engine reads only theirs; more, and it reads all (as for the county). */
const MAX_CADRE_FILTER = 2000;

/** What each alert type is about. */
export const ALERT_SUBJECT: Readonly<Record<AlertType, AlertSubjectKind>> = {
  OVERDUE: 'ISSUE',
  DUE_SOON: 'ISSUE',
  DENIED_NOT_REDONE: 'ISSUE',
  SILENT_PAIRING: 'PAIRING',
  BEHIND_PACE: 'CADRE',
  VETO_RISK: 'CADRE',
  REPEAT_APPEALS: 'HOUSEHOLD',
};

/** One worklist item (action.md "Worklists"). */
export interface AlertData {
  /** `<type>:<subjectId>`: stable while the condition lasts. */
  id: string;
  type: AlertType;
  subjectId: string;
  subjectKind: AlertSubjectKind;
  /** The issue's region, the pairing's household's, the cadre's or the household's. */
  regionId: string;
  /** Issues: their department as of asOf. */
  departmentId: string | null;
  /** Issues: the cadre of the visit that raised them; pairings: their cadre; cadre alerts: the cadre. */
  cadreId: string | null;
  /** When the condition began. */
  since: Date;
  /** Hours from `since` to asOf. */
  ageHours: number;
}

export interface AlertTypeCountData {
  type: AlertType;
  count: number;
}

export interface AlertsQuery {
  regionId?: string | null;
  /** The types asked for (all when null or absent). */
  types?: readonly AlertType[] | null;
  /** The rules are evaluated as of this instant (default now). */
  asOf?: Date | null;
}

export interface AlertsArgs extends AlertsQuery {
  first?: number | null;
  after?: string | null;
}

/** Every alert of a query, in list order, and the instant they are as of. */
export interface AlertList {
  alerts: AlertData[];
  types: AlertType[];
  asOf: Date;
}

export interface AlertsPage {
  edges: Array<{ cursor: string; node: AlertData }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
  /** Every type asked for, in enum order, zeros included, over the whole list. */
  countsByType: AlertTypeCountData[];
  asOf: Date;
}

const TYPE_ORDER = new Map(AlertTypes.values.map((t, i) => [t, i]));

/** List order: oldest first (`since`), then type in enum order, then subject id. */
export function compareAlerts(a: Pick<AlertData, 'since' | 'type' | 'subjectId'>, b: Pick<AlertData, 'since' | 'type' | 'subjectId'>): number {
  return a.since.getTime() - b.since.getTime() || TYPE_ORDER.get(a.type)! - TYPE_ORDER.get(b.type)! || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0);
}

/**
 * Worklists (预警): the rules of action.md evaluated as of an instant over the caller's scope
 * (and `regionId`). Issue rules read the engine's issue state as of asOf (alerts.sql.ts); the
 * cadre rules take the engine's parts by CADRE for the local year up to asOf, as the scorecards
 * do, with the scorecards' window, quotas and pace. The whole list is computed (the counts by
 * type need it) and a keyset page cut out, as the scorecards do.
 */
export class AlertsService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly deps: { engine: MetricsService; scorecards: ScorecardService },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One page of alerts with the total and the counts by type. Arguments are checked before anything is computed. */
  async page(args: AlertsArgs, scope: Scope): Promise<AlertsPage> {
    checkAsOf(args.asOf);
    const first = pageSize(args.first, this.config.limits.maxPageSize);
    const after = args.after != null ? decodeAlertCursor(args.after) : null;
    const { alerts, types, asOf } = await this.list(args, scope);
    let start = 0;
    if (after !== null) {
      // Keyset: the first alert strictly after the cursor's key, so alerts that appear between two pages never repeat one shown.
      start = alerts.findIndex((a) => compareAlerts(a, after) > 0);
      if (start < 0) start = alerts.length;
    }
    const nodes = alerts.slice(start, start + first);
    const counts = new Map<AlertType, number>(types.map((t) => [t, 0]));
    for (const a of alerts) counts.set(a.type, counts.get(a.type)! + 1);
    return {
      edges: nodes.map((node) => ({ cursor: encodeAlertCursor(node), node })),
      hasNextPage: start + first < alerts.length,
      hasPreviousPage: after !== null,
      totalCount: alerts.length,
      countsByType: types.map((type) => ({ type, count: counts.get(type)! })),
      asOf,
    };
  }

  /** Every alert of the query, in list order (the extract and `page`). */
  async list(q: AlertsQuery, scope: Scope): Promise<AlertList> {
    const asOfMs = q.asOf == null ? this.now().getTime() : checkAsOf(q.asOf);
    const types = requestedTypes(q.types);
    const regionId = q.regionId ?? null;
    if (regionId !== null) await checkRegionFilter(this.ds, regionId, scope);
    const ctx: AlertSqlContext = { asOfMs, roots: [scope.regionId, regionId].filter((r): r is string => r !== null) };
    const want = new Set(types);
    const parts = await Promise.all([
      want.has('OVERDUE') || want.has('DUE_SOON') ? this.deadlines(ctx, want.has('OVERDUE'), want.has('DUE_SOON')) : [],
      want.has('DENIED_NOT_REDONE') ? this.denied(ctx) : [],
      want.has('SILENT_PAIRING') ? this.silentPairings(ctx) : [],
      want.has('REPEAT_APPEALS') ? this.repeatAppeals(ctx) : [],
      want.has('BEHIND_PACE') || want.has('VETO_RISK') ? this.cadreAlerts(ctx, scope, want.has('BEHIND_PACE'), want.has('VETO_RISK')) : [],
    ]);
    return { alerts: parts.flat().sort(compareAlerts), types, asOf: new Date(asOfMs) };
  }

  private async deadlines(ctx: AlertSqlContext, overdue: boolean, dueSoon: boolean): Promise<AlertData[]> {
    const rows = await this.run<IssueRow & { due_at: unknown; overdue: unknown }>(deadlineAlertsSql(ctx, this.config.alerts.dueSoonHours * HOUR_MS, { overdue, dueSoon }));
    return rows.map((r) => (Number(r.overdue) === 1 ? this.issueAlert('OVERDUE', r, Number(r.due_at), ctx) : this.issueAlert('DUE_SOON', r, ctx.asOfMs, ctx)));
  }

  private async denied(ctx: AlertSqlContext): Promise<AlertData[]> {
    const rows = await this.run<IssueRow & { answered_at: unknown }>(deniedAlertsSql(ctx, this.config.alerts.redoGraceHours * HOUR_MS, this.partContext()));
    return rows.map((r) => this.issueAlert('DENIED_NOT_REDONE', r, Number(r.answered_at), ctx));
  }

  private async silentPairings(ctx: AlertSqlContext): Promise<AlertData[]> {
    const zone = this.config.reportingTimeZone;
    const days = this.config.alerts.silentPairingDays;
    const day = this.deps.engine.calendar.today(zone, new Date(ctx.asOfMs));
    const rows = await this.run<{ subject_id: unknown; region_id: unknown; cadre_id: unknown; started_on: unknown; last_visit: unknown }>(
      silentPairingAlertsSql(ctx, day, addDays(day, -days), days * DAY_MS),
    );
    return rows.map((r) => {
      // Silent since the later of its last visit and its start (a visit before the pairing began is not its contact).
      const started = this.deps.engine.calendar.startOfDay(String(r.started_on), zone);
      const since = r.last_visit == null ? started : Math.max(started, Number(r.last_visit));
      return alert('SILENT_PAIRING', String(r.subject_id), String(r.region_id), null, String(r.cadre_id), since, ctx.asOfMs);
    });
  }

  private async repeatAppeals(ctx: AlertSqlContext): Promise<AlertData[]> {
    const { repeatAppealsDays, repeatAppealsMin } = this.config.alerts;
    const rows = await this.run<{ subject_id: unknown; region_id: unknown; first_at: unknown }>(repeatAppealAlertsSql(ctx, repeatAppealsDays * DAY_MS, repeatAppealsMin));
    return rows.map((r) => alert('REPEAT_APPEALS', String(r.subject_id), String(r.region_id), null, null, Number(r.first_at), ctx.asOfMs));
  }

  /**
   * BEHIND_PACE and VETO_RISK over the local year up to asOf: the scorecards' window, the
   * engine's parts by CADRE (stay days; responses naming the cadre and the satisfied among them),
   * counted in the scope as the scorecards count them, the quotas and `stayPace`.
   */
  private async cadreAlerts(ctx: AlertSqlContext, scope: Scope, behind: boolean, veto: boolean): Promise<AlertData[]> {
    const zone = this.config.reportingTimeZone;
    const asOf = new Date(ctx.asOfMs);
    const year = Number(this.deps.engine.calendar.today(zone, asOf).slice(0, 4));
    if (year < FIRST_CADRE_YEAR) return [];
    const w = this.deps.scorecards.window(year, asOf);
    const measures: Measure[] = [...(behind ? (['VILLAGE_STAY_DAYS'] as const) : []), ...(veto ? (['RESPONSES', 'SATISFIED_RATE'] as const) : [])];
    const cadres = await this.run<{ id: unknown; rank: unknown; region_id: unknown }>(alertCadresSql(ctx));
    if (cadres.length === 0) return [];
    // A region's cadres are read by id (the cadre rollups by key) rather than the county's all (×10: 80 → 18 ms a township).
    const cadreIds = ctx.roots.length > 0 && cadres.length <= MAX_CADRE_FILTER ? cadres.map((c) => String(c.id)) : undefined;
    const { cells } = await this.deps.engine.computeParts(
      { measures, dimensions: ['CADRE'], cadreIds, from: w.firstDay, to: w.lastDay, timeZone: zone, asOf: new Date(w.lastMs) },
      scope,
    );
    const byCadre = new Map(cells.map((c) => [String(c.key[2]), c.parts]));
    const since = this.deps.engine.calendar.startOfDay(w.firstDay, zone);
    const out: AlertData[] = [];
    for (const c of cadres) {
      const id = String(c.id);
      const p = byCadre.get(id) ?? {};
      const quota = QUOTAS[String(c.rank) as CadreRank] ?? QUOTAS.STAFF;
      if (behind && stayPace(quota.stayDays, w).behind(p.villageStayDays ?? 0)) out.push(alert('BEHIND_PACE', id, String(c.region_id), null, id, since, ctx.asOfMs));
      const responses = p.responses ?? 0;
      // As the scorecard's veto: at least MIN_RESPONSES, and k/n (correctly rounded) below the line.
      if (veto && responses >= this.config.minResponses && (p.satisfied ?? 0) / responses < this.config.vetoLine) {
        out.push(alert('VETO_RISK', id, String(c.region_id), null, id, since, ctx.asOfMs));
      }
    }
    return out;
  }

  private issueAlert(type: AlertType, r: IssueRow, sinceMs: number, ctx: AlertSqlContext): AlertData {
    return alert(type, String(r.subject_id), String(r.region_id), r.department_id == null ? null : String(r.department_id), r.cadre_id == null ? null : String(r.cadre_id), sinceMs, ctx.asOfMs);
  }

  /** The parts' context; the issue rules read only flags that do not depend on it beyond the SLA. */
  private partContext(): PartContext {
    return { slaMs: this.config.responseSlaHours * HOUR_MS, festival: () => '1 = 0', linkedIssue: () => '1 = 0', repeatWindowMs: this.config.repeatWindowDays * DAY_MS };
  }

  private run<T>(st: Statement): Promise<T[]> {
    const { sql, params } = render(st);
    return analyticsQuery<T>(this.ds, sql, params);
  }
}

interface IssueRow {
  subject_id: unknown;
  region_id: unknown;
  department_id: unknown;
  cadre_id: unknown;
}

function alert(type: AlertType, subjectId: string, regionId: string, departmentId: string | null, cadreId: string | null, sinceMs: number, asOfMs: number): AlertData {
  return { id: `${type}:${subjectId}`, type, subjectId, subjectKind: ALERT_SUBJECT[type], regionId, departmentId, cadreId, since: new Date(sinceMs), ageHours: (asOfMs - sinceMs) / HOUR_MS };
}

/** The types asked for, in enum order, each once; all when none are named. */
function requestedTypes(types: readonly AlertType[] | null | undefined): AlertType[] {
  if (types == null) return [...AlertTypes.values];
  const unknown = types.filter((t) => !TYPE_ORDER.has(t));
  if (unknown.length) throw badInput(`unknown alert type ${JSON.stringify(unknown[0])}; types are ${AlertTypes.values.join(', ')}`, { argument: 'types' });
  return AlertTypes.values.filter((t) => types.includes(t));
}

type CursorKey = Pick<AlertData, 'since' | 'type' | 'subjectId'>;

function encodeAlertCursor(a: CursorKey): string {
  return cursorOf(['A', a.since.getTime(), a.type, a.subjectId]);
}

/** Reads a cursor made by encodeAlertCursor; anything else is BAD_USER_INPUT. */
function decodeAlertCursor(cursor: string): CursorKey {
  const p = cursorPayload(cursor);
  if (p.length !== 4 || p[0] !== 'A' || !Number.isSafeInteger(p[1]) || !TYPE_ORDER.has(p[2] as AlertType)) throw badCursor(cursor);
  if (typeof p[3] !== 'string' || p[3].length === 0 || p[3].length > 64) throw badCursor(cursor);
  return { since: new Date(p[1] as number), type: p[2] as AlertType, subjectId: p[3] };
}
