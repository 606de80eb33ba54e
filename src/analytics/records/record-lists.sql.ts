import type { Config } from '../../config';
import type { Dialect } from '../../database/dialect';
import { STATUS_OF } from '../../domain/issue-state';
import { badInput } from '../../domain/errors';
import type { Calendar } from '../calendar';
import { derivedIssueFacts, overdueSql, storedIssueFacts, storedStateValid } from '../measures/issue-facts.sql';
import { issueParts, partCondition, PartContext, SATISFACTION_PARTS, visitParts } from '../measures/parts';
import type {
  CadreRecordFilter,
  HouseholdRecordFilter,
  IssueFlag,
  IssueRecordFilter,
  PairingRecordFilter,
  SurveyRecordFilter,
  VisitRecordFilter,
  VisitWindow,
} from './record-filters';

/*
 * The SQL of the record lists. Every condition that decides whether a record is counted by a
 * measure is the engine's own: a part's condition (parts.ts `partCondition`) over the same fact
 * row — for issues the row of `issue-facts.sql.ts`, stored state where nothing later than asOf
 * fed it, derived from events and responses otherwise — so `issues(filter).totalCount` and the
 * matching numerator of `metrics` are the same sum over the same rows.
 */

/** One SELECT of a list's rows: its select list, FROM clause and conditions (alias `f` for the row). */
export interface Branch {
  select: string;
  from: string;
  where: string[];
}

/** The rows of one list as SQL: one branch, or two for issues (stored state, derived state). */
export interface ListSql {
  /** The entity the rows hydrate to. */
  table: 'issues' | 'visits' | 'survey_responses' | 'households' | 'pairings' | 'cadres';
  branches: Branch[];
  params: Record<string, unknown>;
  /** Newest first by this instant column (ties: id descending), or by id ascending when null. */
  orderColumn: string | null;
  /** The issue columns that are not facts (visit, summary, status as of asOf…), added after a page is cut. */
  finish?: (alias: string) => { select: string; join: string };
}

/** A relation's parents: regions (their subtree, through region_closure) or a column of the row. */
export interface Parents {
  kind: 'region' | 'column';
  /** The row's column naming the parent (`household_id`, `cadre_id`), or the row's region column. */
  column: string;
  ids: readonly string[];
}

/** What a list is read in: the store, the calendar, the caller's scope, the zone and instant of the filter. */
export interface ListContext {
  dialect: Dialect;
  calendar: Calendar;
  config: Readonly<Config>;
  scopeRoot: string | null;
  /** The filter's instant (default now). */
  asOfMs: number;
  /** The filter's zone, or the default one; null when there is none (a local date then cannot apply). */
  zone: string | null;
  /** Prefix of the statement's parameter names, when several lists' SQL go into one statement. */
  paramPrefix?: string;
}

const HOUR_MS = 3_600_000;

/** Named parameters: each call adds its values under fresh names. */
class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;

  constructor(private readonly prefix = '') {}

  one(v: unknown): string {
    const name = `p_${this.prefix}l${this.n++}`;
    this.values[name] = v;
    return `:${name}`;
  }

  /** A list of values; an empty one is `NULL`, so `x IN (NULL)` matches nothing. */
  list(vs: readonly unknown[]): string {
    return vs.length ? vs.map((v) => this.one(v)).join(', ') : 'NULL';
  }
}

/** The zone a local date of `field` is read in; BAD_USER_INPUT when there is none. */
function zoneFor(ctx: ListContext, field: string): string {
  if (ctx.zone === null) throw badInput(`${field} is a local date: give timeZone (there is no default zone here)`, { argument: field, needs: 'timeZone' });
  return ctx.calendar.checkZone(ctx.zone);
}

/** [start, end) instants of inclusive local dates, either end open. */
function localRange(ctx: ListContext, fromField: string, from: string | null | undefined, toField: string, to: string | null | undefined): [number | null, number | null] {
  const start = from ? (ctx.calendar.localDate(from, zoneFor(ctx, fromField), fromField), ctx.calendar.startOfDay(from, zoneFor(ctx, fromField))) : null;
  const end = to ? (ctx.calendar.localDate(to, zoneFor(ctx, toField), toField), ctx.calendar.endOfDay(to, zoneFor(ctx, toField))) : null;
  return [start, end];
}

/** Conditions placing a record's instant column inside a window: local dates, instants, and not after asOf. */
function timeConds(ctx: ListContext, column: string, local: [number | null, number | null], instants: { from?: Date | null; to?: Date | null }): string[] {
  const out = [`${column} <= ${Math.trunc(ctx.asOfMs)}`];
  if (local[0] !== null) out.push(`${column} >= ${local[0]}`);
  if (local[1] !== null) out.push(`${column} < ${local[1]}`);
  if (instants.from) out.push(`${column} >= ${instants.from.getTime()}`);
  if (instants.to) out.push(`${column} < ${instants.to.getTime()}`);
  return out;
}

/** A region column inside the subtree of `root` (the scope, a regionId filter). */
const inSubtree = (column: string, root: string, p: Params) => `${column} IN (SELECT sr.descendant_id FROM region_closure sr WHERE sr.ancestor_id = ${p.one(root)})`;

/** Scope and regionId filter on a region column. */
function regionConds(ctx: ListContext, column: string, regionId: string | null | undefined, p: Params): string[] {
  const out: string[] = [];
  if (ctx.scopeRoot !== null) out.push(inSubtree(column, ctx.scopeRoot, p));
  if (regionId) out.push(inSubtree(column, regionId, p));
  return out;
}

/** Households (alias) carrying every tag, as the engine's householdTags filter (dialect listContains). */
const tagConds = (ctx: ListContext, alias: string, tags: readonly string[] | null | undefined) => (tags ?? []).map((t) => ctx.dialect.listContains(`${alias}.tags`, t));

/** The parts' context of a list: the configuration's SLA and repeat window, festival days in the list's zone, issues raised by asOf. */
function partContext(ctx: ListContext, window: [number | null, number | null] = [null, null]): PartContext {
  return {
    slaMs: Math.round(ctx.config.responseSlaHours * HOUR_MS),
    repeatWindowMs: Math.round(ctx.config.repeatWindowDays * 24 * HOUR_MS),
    festival: (column) => {
      const ranges = ctx.calendar.festivalRanges(zoneFor(ctx, 'festival'), window[0] ?? -8.64e15, window[1] ?? 8.64e15);
      return ranges.length ? `(${ranges.map(([s, e]) => `(${column} >= ${s} AND ${column} < ${e})`).join(' OR ')})` : '1 = 0';
    },
    linkedIssue: (column) => `EXISTS (SELECT 1 FROM issues li WHERE li.visit_id = ${column} AND li.received_at <= ${Math.trunc(ctx.asOfMs)})`,
  };
}

const yesNo = (cond: string, want: boolean) => (want ? cond : `NOT ${cond}`);

/** The part of the issue cohort each boolean filter selects (`true`: the rows the part counts; `false`: the others). */
const ISSUE_FLAG_PARTS: Record<IssueFlag, string> = {
  closed: 'closed',
  unitResolved: 'unitResolved',
  contacted: 'contactedYes',
  contactAnswered: 'contactAnswered',
  reopened: 'reopened',
  repeat: 'repeatAppeals',
  inSla: 'respondedInSla',
  responded: 'firstResponded',
  hasDue: 'withDue',
  onTime: 'onTime',
  calledBack: 'issuesWithResponse',
  satisfied: 'issueLatestSatisfied',
  hasHousehold: 'withHousehold',
};

/** SQL status as of asOf of an issue whose id is in `idColumn`, from its last event by (at, id) up to asOf (domain.md); OPEN without one. */
function derivedStatusSql(idColumn: string, asOfMs: number): string {
  const byType = Object.entries(STATUS_OF).map(([type, status]) => `WHEN '${type}' THEN '${status}'`).join(' ');
  return `COALESCE((SELECT CASE sx.type ${byType} END FROM issue_events sx
     WHERE sx.issue_id = ${idColumn} AND sx.at <= ${Math.trunc(asOfMs)} ORDER BY sx.at DESC, sx.id DESC LIMIT 1), 'OPEN')`;
}

/** SQL status of an issue (alias on issues) as of asOf: the stored one where nothing later fed it, else its last event's. */
export function statusAsOfSql(a: string, asOfMs: number): string {
  return `CASE WHEN ${storedStateValid(a, asOfMs)} THEN ${a}.status ELSE ${derivedStatusSql(`${a}.id`, asOfMs)} END`;
}

/** Adds the parent key of a relation to a branch (and keeps the rows of those parents only). */
function withParent(b: Branch, parents: Parents | undefined, p: Params): Branch {
  if (!parents) return b;
  if (parents.kind === 'column') {
    return { select: `${b.select}, f.${parents.column} AS parent_key`, from: b.from, where: [...b.where, `f.${parents.column} IN (${p.list(parents.ids)})`] };
  }
  return { select: `${b.select}, pk.ancestor_id AS parent_key`, from: `${b.from} JOIN region_closure pk ON pk.descendant_id = f.${parents.column} AND pk.ancestor_id IN (${p.list(parents.ids)})`, where: b.where };
}

/**
 * Issues with their state as of asOf: two branches over the engine's issue facts (stored state
 * where nothing after asOf fed it, derived otherwise), each with the filters on its fact row `f`.
 */
export function issueListSql(ctx: ListContext, f: IssueRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const asOf = Math.trunc(ctx.asOfMs);
  const received = localRange(ctx, 'receivedFrom', f.receivedFrom, 'receivedTo', f.receivedTo);
  // Conditions on the issues row (alias a): they go inside both fact branches.
  const base = (a: string): string => {
    const c = [...timeConds(ctx, `${a}.received_at`, received, f), ...regionConds(ctx, `${a}.region_id`, f.regionId, p)];
    if (f.householdId) c.push(`${a}.household_id = ${p.one(f.householdId)}`);
    if (f.visitId) c.push(`${a}.visit_id = ${p.one(f.visitId)}`);
    if (f.cadreId) c.push(`${a}.visit_id IN (SELECT cv.id FROM visits cv WHERE cv.cadre_id = ${p.one(f.cadreId)})`);
    if (f.channels) c.push(`${a}.channel IN (${p.list(f.channels)})`);
    if (f.categories) c.push(`${a}.category IN (${p.list(f.categories)})`);
    if (f.householdTags) c.push(`${a}.household_id IN (SELECT th.id FROM households th WHERE ${tagConds(ctx, 'th', f.householdTags).join(' AND ')})`);
    if (f.statuses) c.push(`${statusAsOfSql(a, asOf)} IN (${p.list(f.statuses)})`);
    if (parents?.kind === 'column') c.push(`${a}.${parents.column} IN (${p.list(parents.ids)})`);
    return c.join(' AND ');
  };
  // Conditions on the fact row (alias f): the state as of asOf, by the parts that count it.
  const parts = issueParts(partContext(ctx));
  const state: string[] = [];
  for (const flag of Object.keys(ISSUE_FLAG_PARTS) as IssueFlag[]) {
    const want = f[flag];
    if (want !== null && want !== undefined) state.push(yesNo(partCondition(parts, ISSUE_FLAG_PARTS[flag]), want));
  }
  if (f.residentAnswers) state.push(`f.resident_answer IN (${p.list(f.residentAnswers)})`);
  if (f.minTransfers !== null && f.minTransfers !== undefined) state.push(f.minTransfers === 1 ? partCondition(parts, 'transferred') : `f.transfer_count >= ${Math.trunc(f.minTransfers)}`);
  if (f.overdue !== null && f.overdue !== undefined) state.push(yesNo(overdueSql('f', asOf), f.overdue));
  const departments = [...(f.departmentIds ?? []), ...(f.departmentId ? [f.departmentId] : [])];
  if (f.departmentId && f.departmentIds) {
    // Both given: the issues whose department is in both (the single one, if listed).
    state.push(f.departmentIds.includes(f.departmentId) ? `f.department_id = ${p.one(f.departmentId)}` : '1 = 0');
  } else if (departments.length) state.push(`f.department_id IN (${p.list(departments)})`);
  // The status as of asOf is the stored one for the stored branch (added with the other issue
  // columns after the page is cut), the last event's for the derived one.
  const stored: Branch = { select: 'f.*, 0 AS derived, NULL AS status_as_of', from: `(${storedIssueFacts('i', `${storedStateValid('i', asOf)} AND ${base('i')}`)}) f`, where: state };
  const derived: Branch = { select: `f.*, 1 AS derived, ${derivedStatusSql('f.id', asOf)} AS status_as_of`, from: `(${derivedIssueFacts(asOf, base)}) f`, where: state };
  // A column parent is kept inside the fact branches (base); a region parent joins its subtree.
  const keyed = (b: Branch): Branch => (parents?.kind === 'column' ? { ...b, select: `${b.select}, f.${parents.column} AS parent_key` } : withParent(b, parents, p));
  return {
    table: 'issues',
    branches: [keyed(stored), keyed(derived)],
    params: p.values,
    orderColumn: 'received_at',
    finish: (alias) => ({
      select: `x.visit_id, x.summary, x.created_at, x.updated_at, x.state_changed_at, CASE WHEN ${alias}.derived = 1 THEN ${alias}.status_as_of ELSE x.status END AS status`,
      join: `JOIN issues x ON x.id = ${alias}.id`,
    }),
  };
}

/** Visits (not after asOf), with the visit parts' conditions for festival days and raised issues. */
export function visitListSql(ctx: ListContext, f: VisitRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const visited = localRange(ctx, 'visitedFrom', f.visitedFrom, 'visitedTo', f.visitedTo);
  const where = [...timeConds(ctx, 'f.visited_at', visited, f), ...regionConds(ctx, 'f.region_id', f.regionId, p)];
  const cadres = [...(f.cadreIds ?? []), ...(f.cadreId ? [f.cadreId] : [])];
  if (f.cadreId && f.cadreIds && !f.cadreIds.includes(f.cadreId)) where.push('1 = 0');
  else if (cadres.length) where.push(`f.cadre_id IN (${p.list(f.cadreId && f.cadreIds ? [f.cadreId] : cadres)})`);
  if (f.householdId) where.push(`f.household_id = ${p.one(f.householdId)}`);
  if (f.kinds) where.push(`f.kind IN (${p.list(f.kinds)})`);
  if (f.householdTags) where.push(`f.household_id IN (SELECT th.id FROM households th WHERE ${tagConds(ctx, 'th', f.householdTags).join(' AND ')})`);
  const window: [number | null, number | null] = [Math.max(visited[0] ?? -8.64e15, f.from?.getTime() ?? -8.64e15), Math.min(visited[1] ?? 8.64e15, f.to?.getTime() ?? 8.64e15)];
  const parts = visitParts(partContext(ctx, window));
  if (f.festival !== null && f.festival !== undefined) where.push(yesNo(partCondition(parts, 'holidayVisits'), f.festival));
  if (f.withIssue !== null && f.withIssue !== undefined) where.push(yesNo(partCondition(parts, 'visitsWithIssue'), f.withIssue));
  return { table: 'visits', branches: [withParent({ select: 'f.*', from: 'visits f', where }, parents, p)], params: p.values, orderColumn: 'visited_at' };
}

/** Survey responses (not after asOf), score bands by the satisfaction parts. */
export function surveyListSql(ctx: ListContext, f: SurveyRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const responded = localRange(ctx, 'respondedFrom', f.respondedFrom, 'respondedTo', f.respondedTo);
  const where = [...timeConds(ctx, 'f.responded_at', responded, f), ...regionConds(ctx, 'f.region_id', f.regionId, p)];
  if (f.issueId) where.push(`f.issue_id = ${p.one(f.issueId)}`);
  const cadres = [...(f.cadreIds ?? []), ...(f.cadreId ? [f.cadreId] : [])];
  if (f.cadreId && f.cadreIds && !f.cadreIds.includes(f.cadreId)) where.push('1 = 0');
  else if (cadres.length) where.push(`f.cadre_id IN (${p.list(f.cadreId && f.cadreIds ? [f.cadreId] : cadres)})`);
  if (f.householdId) where.push(`f.household_id = ${p.one(f.householdId)}`);
  if (f.channels) where.push(`f.channel IN (${p.list(f.channels)})`);
  if (f.scoreBands) {
    const satisfied = partCondition(SATISFACTION_PARTS, 'satisfied');
    const dissatisfied = partCondition(SATISFACTION_PARTS, 'dissatisfied');
    const band = { SATISFIED: satisfied, DISSATISFIED: dissatisfied, NEUTRAL: `(NOT ${satisfied} AND NOT ${dissatisfied})` };
    where.push(`(${f.scoreBands.map((b) => band[b]).join(' OR ')})`);
  }
  return { table: 'survey_responses', branches: [withParent({ select: 'f.*', from: 'survey_responses f', where }, parents, p)], params: p.values, orderColumn: 'responded_at' };
}

/** Visits naming a household (`hh`: its id column) in a window of local dates, not after asOf; `pairing` also requires the pairing's cadre. */
function visitedIn(ctx: ListContext, field: string, w: VisitWindow, household: string, p: Params, cadre?: string): string {
  const [s, e] = localRange(ctx, `${field}.from`, w.from, `${field}.to`, w.to);
  const by = [...(cadre ? [`wv.cadre_id = ${cadre}`] : []), ...(w.cadreIds ? [`wv.cadre_id IN (${p.list(w.cadreIds)})`] : [])];
  return `EXISTS (SELECT 1 FROM visits wv WHERE wv.household_id = ${household}${by.map((c) => ` AND ${c}`).join('')} AND ${timeConds(ctx, 'wv.visited_at', [s, e], {}).join(' AND ')})`;
}

/** The local date of asOf (pairings active "now"). */
const asOfDate = (ctx: ListContext, field: string) => ctx.calendar.localDay(ctx.asOfMs, zoneFor(ctx, field));

/** A pairing (alias) active on a date (YYYY-MM-DD text compares in date order). */
const activeOn = (a: string, date: string, p: Params) => `${a}.started_on <= ${p.one(date)} AND (${a}.ended_on IS NULL OR ${a}.ended_on >= ${p.one(date)})`;

/**
 * Households, placed by their own region (as VISIT_COVERAGE and PAIRED_HOUSEHOLD_RATE place
 * them): tags, visited (not) in a window, paired (not) on a date.
 */
export function householdListSql(ctx: ListContext, f: HouseholdRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const where = [...regionConds(ctx, 'f.region_id', f.regionId, p), ...tagConds(ctx, 'f', f.tags)];
  if (f.visitedBetween) where.push(visitedIn(ctx, 'visitedBetween', f.visitedBetween, 'f.id', p));
  if (f.notVisitedBetween) where.push(`NOT ${visitedIn(ctx, 'notVisitedBetween', f.notVisitedBetween, 'f.id', p)}`);
  if (f.paired !== null && f.paired !== undefined) {
    const on = f.pairedOn ?? asOfDate(ctx, 'paired');
    where.push(yesNo(`EXISTS (SELECT 1 FROM pairings hp WHERE hp.household_id = f.id AND ${activeOn('hp', on, p)})`, f.paired));
  } else if (f.pairedOn) throw badInput('pairedOn applies with paired: true or false', { argument: 'pairedOn' });
  return { table: 'households', branches: [withParent({ select: 'f.*', from: 'households f', where }, parents, p)], params: p.values, orderColumn: null };
}

/**
 * Pairings, placed by their household's region (as PAIRED_COVERAGE and the scope place them):
 * active on a date, visited by their cadre (not) in a window or since a date.
 */
export function pairingListSql(ctx: ListContext, f: PairingRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const where = [...regionConds(ctx, 'ph.region_id', f.regionId, p), ...tagConds(ctx, 'ph', f.householdTags)];
  const cadres = [...(f.cadreIds ?? []), ...(f.cadreId ? [f.cadreId] : [])];
  if (f.cadreId && f.cadreIds && !f.cadreIds.includes(f.cadreId)) where.push('1 = 0');
  else if (cadres.length) where.push(`f.cadre_id IN (${p.list(f.cadreId && f.cadreIds ? [f.cadreId] : cadres)})`);
  if (f.householdId) where.push(`f.household_id = ${p.one(f.householdId)}`);
  if (f.activeOn) where.push(activeOn('f', f.activeOn, p));
  if (f.visitedBetween) where.push(visitedIn(ctx, 'visitedBetween', f.visitedBetween, 'f.household_id', p, 'f.cadre_id'));
  if (f.notVisitedBetween) where.push(`NOT ${visitedIn(ctx, 'notVisitedBetween', f.notVisitedBetween, 'f.household_id', p, 'f.cadre_id')}`);
  if (f.notVisitedSince) {
    const [since] = localRange(ctx, 'notVisitedSince', f.notVisitedSince, 'notVisitedSince', null);
    where.push(`NOT EXISTS (SELECT 1 FROM visits sv WHERE sv.household_id = f.household_id AND sv.cadre_id = f.cadre_id AND sv.visited_at >= ${since} AND sv.visited_at <= ${Math.trunc(ctx.asOfMs)})`);
  }
  // The scope reads the household's region: the join is always there (a pairing's household always exists).
  return { table: 'pairings', branches: [withParent({ select: 'f.*', from: 'pairings f JOIN households ph ON ph.id = f.household_id', where }, parents, p)], params: p.values, orderColumn: null };
}

/** Cadres by their home region (Region.cadres). */
export function cadreListSql(ctx: ListContext, f: CadreRecordFilter, parents?: Parents): ListSql {
  const p = new Params(ctx.paramPrefix);
  const where = regionConds(ctx, 'f.region_id', f.regionId, p);
  if (f.rank) where.push(`f.rank = ${p.one(f.rank)}`);
  return { table: 'cadres', branches: [withParent({ select: 'f.*', from: 'cadres f', where }, parents, p)], params: p.values, orderColumn: null };
}
