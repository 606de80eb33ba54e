import {
  CadreRank,
  CadreRanks,
  HouseholdTag,
  HouseholdTags,
  IssueCategories,
  IssueCategory,
  IssueChannel,
  IssueChannels,
  IssueStatus,
  IssueStatuses,
  ResidentAnswer,
  ResidentAnswers,
  SurveyChannel,
  SurveyChannels,
  VisitKind,
  VisitKinds,
} from '../../domain/enums';
import { badInput } from '../../domain/errors';

/*
 * The filters of the record lists (action.md "The records behind a number"), as plain types the
 * GraphQL inputs, the CSV route and the drill-through share, and their one validation: every
 * refusal is BAD_USER_INPUT naming the field (`receivedTo`, `visitedBetween.to`, …).
 */

/** Inclusive local dates (in the filter's time zone); `cadreIds`: only visits by these cadres. */
export interface VisitWindow {
  from: string;
  to: string;
  cadreIds?: string[] | null;
}

/** What every list filter may say about time: the zone of its local dates and the instant its records are read as of. */
export interface AsOfFilter {
  /** IANA zone of the local dates; default REPORTING_TIME_ZONE. */
  timeZone?: string | null;
  /** Records dated after it do not exist, issues have their state as of it; default now. */
  asOf?: Date | null;
}

/** Instants (with offset): `from` inclusive, `to` exclusive (the lists' older window). */
export interface InstantWindow {
  from?: Date | null;
  to?: Date | null;
}

export interface IssueRecordFilter extends AsOfFilter, InstantWindow {
  receivedFrom?: string | null;
  receivedTo?: string | null;
  regionId?: string | null;
  householdId?: string | null;
  visitId?: string | null;
  /** Issues raised on a visit by this cadre (the cadre ledger). */
  cadreId?: string | null;
  departmentId?: string | null;
  departmentIds?: string[] | null;
  channels?: IssueChannel[] | null;
  categories?: IssueCategory[] | null;
  statuses?: IssueStatus[] | null;
  householdTags?: HouseholdTag[] | null;
  residentAnswers?: ResidentAnswer[] | null;
  minTransfers?: number | null;
  overdue?: boolean | null;
  closed?: boolean | null;
  unitResolved?: boolean | null;
  contacted?: boolean | null;
  contactAnswered?: boolean | null;
  reopened?: boolean | null;
  repeat?: boolean | null;
  inSla?: boolean | null;
  responded?: boolean | null;
  hasDue?: boolean | null;
  onTime?: boolean | null;
  calledBack?: boolean | null;
  satisfied?: boolean | null;
  hasHousehold?: boolean | null;
}

export interface VisitRecordFilter extends AsOfFilter, InstantWindow {
  visitedFrom?: string | null;
  visitedTo?: string | null;
  regionId?: string | null;
  cadreId?: string | null;
  cadreIds?: string[] | null;
  householdId?: string | null;
  kinds?: VisitKind[] | null;
  festival?: boolean | null;
  withIssue?: boolean | null;
  householdTags?: HouseholdTag[] | null;
}

/** Score bands of a response, as the satisfaction parts count them: ≥ 4 satisfied, ≤ 2 dissatisfied, 3 neither. */
export const ScoreBands = ['SATISFIED', 'NEUTRAL', 'DISSATISFIED'] as const;
export type ScoreBand = (typeof ScoreBands)[number];

export interface SurveyRecordFilter extends AsOfFilter, InstantWindow {
  respondedFrom?: string | null;
  respondedTo?: string | null;
  regionId?: string | null;
  issueId?: string | null;
  cadreId?: string | null;
  cadreIds?: string[] | null;
  householdId?: string | null;
  channels?: SurveyChannel[] | null;
  scoreBands?: ScoreBand[] | null;
}

export interface HouseholdRecordFilter extends AsOfFilter {
  regionId?: string | null;
  /** Households carrying every one of these tags. */
  tags?: HouseholdTag[] | null;
  visitedBetween?: VisitWindow | null;
  notVisitedBetween?: VisitWindow | null;
  /** With (without) a pairing active on `pairedOn` (default: asOf's local date). */
  paired?: boolean | null;
  pairedOn?: string | null;
}

export interface PairingRecordFilter extends AsOfFilter {
  regionId?: string | null;
  cadreId?: string | null;
  cadreIds?: string[] | null;
  householdId?: string | null;
  householdTags?: HouseholdTag[] | null;
  activeOn?: string | null;
  /** With (without) a visit by the pairing's cadre to its household in the window. */
  visitedBetween?: VisitWindow | null;
  notVisitedBetween?: VisitWindow | null;
  /** No visit by the pairing's cadre to its household from this local date up to asOf. */
  notVisitedSince?: string | null;
}

export interface CadreRecordFilter {
  regionId?: string | null;
  rank?: CadreRank | null;
}

/** The record lists, by the names the API and the CSV route use. */
export const RECORD_LISTS = ['issues', 'visits', 'surveyResponses', 'households', 'pairings'] as const;
export type RecordListName = (typeof RECORD_LISTS)[number];

export type RecordFilterOf = {
  issues: IssueRecordFilter;
  visits: VisitRecordFilter;
  surveyResponses: SurveyRecordFilter;
  households: HouseholdRecordFilter;
  pairings: PairingRecordFilter;
};

const MAX_ID = 64;
const MAX_IDS = 1000;

/** Reads one filter object field by field, refusing what cannot apply with BAD_USER_INPUT naming the field. */
class Reader {
  private readonly raw: Record<string, unknown>;

  constructor(
    raw: unknown,
    private readonly prefix: string,
    known: readonly string[],
  ) {
    if (raw === null || raw === undefined) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw badInput(`${prefix || 'filter'} must be an object`, { argument: prefix || 'filter' });
    this.raw = raw as Record<string, unknown>;
    for (const [k, v] of Object.entries(this.raw)) {
      if (v !== undefined && !known.includes(k)) throw badInput(`unknown field ${this.name(k)}; known: ${known.join(', ')}`, { argument: this.name(k) });
    }
  }

  name(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  private value(field: string): unknown {
    const v = this.raw[field];
    return v === null || v === undefined ? null : v;
  }

  private bad(field: string, what: string, v: unknown): never {
    throw badInput(`${this.name(field)} must be ${what}, got ${JSON.stringify(v)?.slice(0, 100)}`, { argument: this.name(field) });
  }

  id(field: string): string | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID) this.bad(field, `an id of 1 to ${MAX_ID} characters`, v);
    return v;
  }

  ids(field: string): string[] | null {
    const v = this.value(field);
    if (v === null) return null;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_IDS) this.bad(field, `a list of 1 to ${MAX_IDS} ids`, v);
    for (const x of v) if (typeof x !== 'string' || x.length === 0 || x.length > MAX_ID) this.bad(field, `a list of ids of 1 to ${MAX_ID} characters`, x);
    return [...new Set(v as string[])];
  }

  bool(field: string): boolean | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'boolean') this.bad(field, 'true or false', v);
    return v;
  }

  int(field: string, min: number, max: number): number | null {
    const v = this.value(field);
    if (v === null) return null;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) this.bad(field, `an integer from ${min} to ${max}`, v);
    return v as number;
  }

  enumValue<T extends string>(field: string, values: readonly T[]): T | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'string' || !values.includes(v as T)) this.bad(field, `one of ${values.join(', ')}`, v);
    return v as T;
  }

  enums<T extends string>(field: string, values: readonly T[]): T[] | null {
    const v = this.value(field);
    if (v === null) return null;
    if (!Array.isArray(v) || v.length === 0) this.bad(field, `a non-empty list of ${values.join(', ')}`, v);
    for (const x of v) if (typeof x !== 'string' || !values.includes(x as T)) this.bad(field, `a list of ${values.join(', ')}`, x);
    return [...new Set(v as T[])];
  }

  date(field: string): string | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)) || new Date(Date.parse(v)).toISOString().slice(0, 10) !== v) {
      this.bad(field, 'a date as YYYY-MM-DD', v);
    }
    return v;
  }

  /** An instant: a Date, or (JSON) an ISO-8601 text with a zone (Z or an offset). */
  instant(field: string): Date | null {
    const v = this.value(field);
    if (v === null) return null;
    const d = v instanceof Date ? v : typeof v === 'string' && /T.*(Z|[+-]\d{2}:?\d{2})$/.test(v) ? new Date(v) : null;
    if (!d || !Number.isFinite(d.getTime())) this.bad(field, 'an instant with an offset (ISO-8601, e.g. 2025-03-01T00:00:00+08:00)', v);
    return d;
  }

  zone(field: string): string | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'string' || v.length === 0 || v.length > 64) this.bad(field, 'an IANA time zone name', v);
    return v;
  }

  window(field: string): VisitWindow | null {
    const v = this.value(field);
    if (v === null) return null;
    const r = new Reader(v, this.name(field), ['from', 'to', 'cadreIds']);
    const from = r.date('from');
    const to = r.date('to');
    if (from === null) r.bad('from', 'a date as YYYY-MM-DD', null);
    if (to === null) r.bad('to', 'a date as YYYY-MM-DD', null);
    if (to! < from!) throw badInput(`${r.name('to')} (${to}) is before ${r.name('from')} (${from})`, { argument: r.name('to') });
    return { from: from!, to: to!, cadreIds: r.ids('cadreIds') };
  }

  /** `to` not before `from` (local dates or instants). */
  ordered(fromField: string, toField: string, from: string | Date | null, to: string | Date | null): void {
    if (from === null || to === null) return;
    const a = from instanceof Date ? from.getTime() : from;
    const b = to instanceof Date ? to.getTime() : to;
    if (b < a) {
      const show = (x: string | Date) => (x instanceof Date ? x.toISOString() : x);
      throw badInput(`"${toField}" (${show(to)}) is before "${fromField}" (${show(from)})`, { argument: this.name(toField) });
    }
  }
}

const ISSUE_FIELDS = [
  'from', 'to', 'receivedFrom', 'receivedTo', 'timeZone', 'asOf', 'regionId', 'householdId', 'visitId', 'cadreId', 'departmentId', 'departmentIds',
  'channels', 'categories', 'statuses', 'householdTags', 'residentAnswers', 'minTransfers', 'overdue', 'closed', 'unitResolved', 'contacted',
  'contactAnswered', 'reopened', 'repeat', 'inSla', 'responded', 'hasDue', 'onTime', 'calledBack', 'satisfied', 'hasHousehold',
] as const;

/** The boolean issue filters that select what one part of the issue cohort counts (record-lists.sql.ts maps them). */
export const ISSUE_FLAGS = ['closed', 'unitResolved', 'contacted', 'contactAnswered', 'reopened', 'repeat', 'inSla', 'responded', 'hasDue', 'onTime', 'calledBack', 'satisfied', 'hasHousehold'] as const;
export type IssueFlag = (typeof ISSUE_FLAGS)[number];

/** Validates an issue filter (a GraphQL input or JSON); BAD_USER_INPUT names the field. */
export function readIssueFilter(raw: unknown, prefix = ''): IssueRecordFilter {
  const r = new Reader(raw, prefix, ISSUE_FIELDS);
  const out: IssueRecordFilter = {
    from: r.instant('from'),
    to: r.instant('to'),
    receivedFrom: r.date('receivedFrom'),
    receivedTo: r.date('receivedTo'),
    timeZone: r.zone('timeZone'),
    asOf: r.instant('asOf'),
    regionId: r.id('regionId'),
    householdId: r.id('householdId'),
    visitId: r.id('visitId'),
    cadreId: r.id('cadreId'),
    departmentId: r.id('departmentId'),
    departmentIds: r.ids('departmentIds'),
    channels: r.enums('channels', IssueChannels.values),
    categories: r.enums('categories', IssueCategories.values),
    statuses: r.enums('statuses', IssueStatuses.values),
    householdTags: r.enums('householdTags', HouseholdTags.values),
    residentAnswers: r.enums('residentAnswers', ResidentAnswers.values),
    minTransfers: r.int('minTransfers', 0, 1000),
    overdue: r.bool('overdue'),
  };
  for (const f of ISSUE_FLAGS) out[f] = r.bool(f);
  r.ordered('from', 'to', out.from ?? null, out.to ?? null);
  r.ordered('receivedFrom', 'receivedTo', out.receivedFrom ?? null, out.receivedTo ?? null);
  return out;
}

const VISIT_FIELDS = ['from', 'to', 'visitedFrom', 'visitedTo', 'timeZone', 'asOf', 'regionId', 'cadreId', 'cadreIds', 'householdId', 'kinds', 'festival', 'withIssue', 'householdTags'] as const;

/** Validates a visit filter. */
export function readVisitFilter(raw: unknown, prefix = ''): VisitRecordFilter {
  const r = new Reader(raw, prefix, VISIT_FIELDS);
  const out: VisitRecordFilter = {
    from: r.instant('from'),
    to: r.instant('to'),
    visitedFrom: r.date('visitedFrom'),
    visitedTo: r.date('visitedTo'),
    timeZone: r.zone('timeZone'),
    asOf: r.instant('asOf'),
    regionId: r.id('regionId'),
    cadreId: r.id('cadreId'),
    cadreIds: r.ids('cadreIds'),
    householdId: r.id('householdId'),
    kinds: r.enums('kinds', VisitKinds.values),
    festival: r.bool('festival'),
    withIssue: r.bool('withIssue'),
    householdTags: r.enums('householdTags', HouseholdTags.values),
  };
  r.ordered('from', 'to', out.from ?? null, out.to ?? null);
  r.ordered('visitedFrom', 'visitedTo', out.visitedFrom ?? null, out.visitedTo ?? null);
  return out;
}

const SURVEY_FIELDS = ['from', 'to', 'respondedFrom', 'respondedTo', 'timeZone', 'asOf', 'regionId', 'issueId', 'cadreId', 'cadreIds', 'householdId', 'channels', 'scoreBands'] as const;

/** Validates a survey response filter. */
export function readSurveyFilter(raw: unknown, prefix = ''): SurveyRecordFilter {
  const r = new Reader(raw, prefix, SURVEY_FIELDS);
  const out: SurveyRecordFilter = {
    from: r.instant('from'),
    to: r.instant('to'),
    respondedFrom: r.date('respondedFrom'),
    respondedTo: r.date('respondedTo'),
    timeZone: r.zone('timeZone'),
    asOf: r.instant('asOf'),
    regionId: r.id('regionId'),
    issueId: r.id('issueId'),
    cadreId: r.id('cadreId'),
    cadreIds: r.ids('cadreIds'),
    householdId: r.id('householdId'),
    channels: r.enums('channels', SurveyChannels.values),
    scoreBands: r.enums('scoreBands', ScoreBands),
  };
  r.ordered('from', 'to', out.from ?? null, out.to ?? null);
  r.ordered('respondedFrom', 'respondedTo', out.respondedFrom ?? null, out.respondedTo ?? null);
  return out;
}

const HOUSEHOLD_FIELDS = ['regionId', 'tags', 'visitedBetween', 'notVisitedBetween', 'paired', 'pairedOn', 'timeZone', 'asOf'] as const;

/** Validates a household filter. */
export function readHouseholdFilter(raw: unknown, prefix = ''): HouseholdRecordFilter {
  const r = new Reader(raw, prefix, HOUSEHOLD_FIELDS);
  return {
    regionId: r.id('regionId'),
    tags: r.enums('tags', HouseholdTags.values),
    visitedBetween: r.window('visitedBetween'),
    notVisitedBetween: r.window('notVisitedBetween'),
    paired: r.bool('paired'),
    pairedOn: r.date('pairedOn'),
    timeZone: r.zone('timeZone'),
    asOf: r.instant('asOf'),
  };
}

const PAIRING_FIELDS = ['regionId', 'cadreId', 'cadreIds', 'householdId', 'householdTags', 'activeOn', 'visitedBetween', 'notVisitedBetween', 'notVisitedSince', 'timeZone', 'asOf'] as const;

/** Validates a pairing filter. */
export function readPairingFilter(raw: unknown, prefix = ''): PairingRecordFilter {
  const r = new Reader(raw, prefix, PAIRING_FIELDS);
  return {
    regionId: r.id('regionId'),
    cadreId: r.id('cadreId'),
    cadreIds: r.ids('cadreIds'),
    householdId: r.id('householdId'),
    householdTags: r.enums('householdTags', HouseholdTags.values),
    activeOn: r.date('activeOn'),
    visitedBetween: r.window('visitedBetween'),
    notVisitedBetween: r.window('notVisitedBetween'),
    notVisitedSince: r.date('notVisitedSince'),
    timeZone: r.zone('timeZone'),
    asOf: r.instant('asOf'),
  };
}

/** Validates a cadre filter (Region.cadres). */
export function readCadreFilter(raw: unknown, prefix = ''): CadreRecordFilter {
  const r = new Reader(raw, prefix, ['regionId', 'rank']);
  return { regionId: r.id('regionId'), rank: r.enumValue('rank', CadreRanks.values) };
}

/** Each list's validation, by list name. */
export const READ_FILTER: { [K in RecordListName]: (raw: unknown, prefix?: string) => RecordFilterOf[K] } = {
  issues: readIssueFilter,
  visits: readVisitFilter,
  surveyResponses: readSurveyFilter,
  households: readHouseholdFilter,
  pairings: readPairingFilter,
};
