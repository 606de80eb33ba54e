import type { HouseholdTag, IssueCategory, IssueChannel } from '../../domain/enums';
import { HouseholdTags, IssueCategories, IssueChannels, ResidentAnswers } from '../../domain/enums';
import { badInput } from '../../domain/errors';
import { Measure, Measures } from '../analytics.enums';
import type { Calendar } from '../calendar';
import { CATALOGUE } from '../catalogue';
import { AGEING_BANDS } from '../dashboard/dashboard.service';
import type {
  HouseholdRecordFilter,
  IssueRecordFilter,
  PairingRecordFilter,
  RecordFilterOf,
  RecordListName,
  SurveyRecordFilter,
  VisitRecordFilter,
} from './record-filters';

/*
 * From a number to its records (action.md): a metrics cell — a measure, a range, a zone, an
 * asOf, a region, the issue filters, a cadre — and which of its counts (numerator or
 * denominator), turned into the record list whose totalCount is that count. One table (DRILLS)
 * says it for every measure; the lists' filters are the engine's parts (record-lists.sql.ts).
 */

export const DrillParts = ['NUMERATOR', 'DENOMINATOR'] as const;
export type DrillPart = (typeof DrillParts)[number];

/** A number on the dashboard (or any metrics cell) to open. */
export interface DrillCell {
  measure: Measure;
  /** Which count of a rate (default NUMERATOR); a count's records are both. */
  part?: DrillPart | null;
  /** Inclusive local dates, as the metrics query's. */
  from?: string | null;
  to?: string | null;
  /** Instead of from/to: a cadre scorecard's year window (1 January to 31 December, or to today). */
  year?: number | null;
  timeZone?: string | null;
  asOf?: Date | null;
  regionId?: string | null;
  /** Issue measures only, as the dashboard applies them (ignored for the others). */
  categories?: IssueCategory[] | null;
  channels?: IssueChannel[] | null;
  departmentIds?: string[] | null;
  /** Measures with the CADRE dimension only. */
  cadreIds?: string[] | null;
  /** The four household measures only (metrics.md householdTags). */
  householdTags?: HouseholdTag[] | null;
  /** BACKLOG only: one band of the backlog ageing panel (its key, e.g. D3_7). */
  ageBand?: string | null;
}

/** The list a number opens, its filter, and what its total is (the number of records, or their stay days). */
export type DrillTarget = { [K in RecordListName]: { list: K; filter: RecordFilterOf[K]; total: 'count' | 'stayDays' } }[RecordListName];

/** The cell as the lists read it: a range of local dates (or the end only, for a stock) and the rest. */
interface Cell {
  from: string | null;
  to: string;
  timeZone: string | null;
  asOf: Date | null;
  regionId: string | null;
  categories: IssueCategory[] | null;
  channels: IssueChannel[] | null;
  departmentIds: string[] | null;
  cadreIds: string[] | null;
  householdTags: HouseholdTag[] | null;
}

type Build<K extends RecordListName> = (c: Cell) => RecordFilterOf[K];
interface Side<K extends RecordListName = RecordListName> {
  list: K;
  build: Build<K>;
  total?: 'stayDays';
}
interface DrillDef {
  /** The records a count counts, or a rate's numerator. */
  numerator?: Side;
  /** A rate's (or mean's, or percentile's) denominator; a count's records when absent. */
  denominator?: Side;
}

const range = (c: Cell) => ({ timeZone: c.timeZone, asOf: c.asOf });

/** Issues received in the range (the cohort), with the issue filters, and `flags`. */
const issues = (flags: IssueRecordFilter = {}): Side<'issues'> => ({
  list: 'issues',
  build: (c) => ({ ...range(c), receivedFrom: c.from, receivedTo: c.to, regionId: c.regionId, categories: c.categories, channels: c.channels, departmentIds: c.departmentIds, ...flags }),
});
/** Proactive issues: the channel VISIT, within the channels the cell keeps. */
const proactive: Side<'issues'> = {
  list: 'issues',
  build: (c) => ({ ...issues().build(c), channels: c.channels ? c.channels.filter((x) => x === 'VISIT') : ['VISIT'] }),
};
const visits = (flags: VisitRecordFilter = {}, total?: 'stayDays'): Side<'visits'> => ({
  list: 'visits',
  build: (c) => ({ ...range(c), visitedFrom: c.from, visitedTo: c.to, regionId: c.regionId, cadreIds: c.cadreIds, ...flags }),
  total,
});
const responses = (flags: SurveyRecordFilter = {}): Side<'surveyResponses'> => ({
  list: 'surveyResponses',
  build: (c) => ({ ...range(c), respondedFrom: c.from, respondedTo: c.to, regionId: c.regionId, cadreIds: c.cadreIds, ...flags }),
});
/** Households in scope (by their own region) with the tags; `visited`: with a visit naming them in the range; `paired`: with a pairing active on `to`. */
const households = (how: { visited?: boolean; paired?: boolean } = {}): Side<'households'> => ({
  list: 'households',
  build: (c): HouseholdRecordFilter => ({
    ...range(c),
    regionId: c.regionId,
    tags: c.householdTags,
    ...(how.visited ? { visitedBetween: { from: c.from!, to: c.to, cadreIds: c.cadreIds } } : {}),
    ...(how.paired ? { paired: true, pairedOn: c.to } : {}),
  }),
});
/** Pairings active on `to`; `covered`: with a visit by their cadre to their household in the range. */
const pairings = (covered: boolean): Side<'pairings'> => ({
  list: 'pairings',
  build: (c): PairingRecordFilter => ({
    ...range(c),
    regionId: c.regionId,
    cadreIds: c.cadreIds,
    householdTags: c.householdTags,
    activeOn: c.to,
    ...(covered ? { visitedBetween: { from: c.from!, to: c.to } } : {}),
  }),
});

const ALL_ANSWERS = [...ResidentAnswers.values];

/** Every measure whose numbers open records, and which records (measures not listed have none). */
export const DRILLS: Partial<Record<Measure, DrillDef>> = {
  RESPONSES: { numerator: responses() },
  SATISFACTION_AVG: { denominator: responses() },
  SATISFIED_RATE: { numerator: responses({ scoreBands: ['SATISFIED'] }), denominator: responses() },
  DISSATISFIED_RATE: { numerator: responses({ scoreBands: ['DISSATISFIED'] }), denominator: responses() },
  ISSUES_RECEIVED: { numerator: issues() },
  RESPONSE_RATE: { numerator: issues({ inSla: true }), denominator: issues() },
  CLOSURE_RATE: { numerator: issues({ closed: true }), denominator: issues() },
  RESOLUTION_RATE: { numerator: issues({ residentAnswers: ['YES'] }), denominator: issues({ residentAnswers: ALL_ANSWERS }) },
  FALSE_CLOSURE_RATE: { numerator: issues({ unitResolved: true, residentAnswers: ['NO'] }), denominator: issues({ unitResolved: true, residentAnswers: ALL_ANSWERS }) },
  ISSUE_SATISFIED_RATE: { numerator: issues({ satisfied: true }), denominator: issues({ calledBack: true }) },
  ON_TIME_RATE: { numerator: issues({ onTime: true }), denominator: issues({ hasDue: true }) },
  MEDIAN_HOURS_TO_RESOLVE: { denominator: issues({ unitResolved: true }) },
  P90_HOURS_TO_RESOLVE: { denominator: issues({ unitResolved: true }) },
  MEDIAN_HOURS_TO_FIRST_RESPONSE: { denominator: issues({ responded: true }) },
  TRANSFER_RATE: { numerator: issues({ minTransfers: 1 }), denominator: issues() },
  AVG_TRANSFERS: { denominator: issues() },
  REOPEN_RATE: { numerator: issues({ reopened: true }), denominator: issues() },
  PROACTIVE_RATE: { numerator: proactive, denominator: issues() },
  CONTACTED_RATE: { numerator: issues({ contacted: true }), denominator: issues({ contactAnswered: true }) },
  REPEAT_RATE: { numerator: issues({ repeat: true }), denominator: issues({ hasHousehold: true }) },
  // BACKLOG is built by backlogTarget (a stock at the end of `to`).
  BACKLOG: {},
  THREE_RATE_SCORE: { numerator: issues() },
  VISITS: { numerator: visits() },
  HOUSEHOLDS_VISITED: { numerator: households({ visited: true }) },
  VILLAGE_STAY_DAYS: { numerator: visits({ kinds: ['VILLAGE_STAY'] }, 'stayDays') },
  HOLIDAY_VISIT_SHARE: { numerator: visits({ festival: true }), denominator: visits() },
  VISIT_ISSUE_RATE: { numerator: visits({ withIssue: true }), denominator: visits() },
  VISIT_COVERAGE: { numerator: households({ visited: true }), denominator: households() },
  PAIRED_HOUSEHOLD_RATE: { numerator: households({ paired: true }), denominator: households() },
  PAIRED_COVERAGE: { numerator: pairings(true), denominator: pairings(false) },
};

/** The measures `householdTags` applies to (metrics.md). */
const TAGGED = new Set<Measure>(['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'HOUSEHOLDS_VISITED', 'PAIRED_COVERAGE']);
const DAY_MS = 86_400_000;

export interface DrillContext {
  calendar: Calendar;
  /** The zone of the dates when the cell names none. */
  defaultZone: string;
  /** A scorecard year's window as of asOf (ScorecardService.window), for `year`. */
  scorecardWindow(year: number, asOf: Date | null): { firstDay: string; lastDay: string; lastMs: number };
  now(): number;
}

/** The record list behind a cell's count; BAD_USER_INPUT names what cannot apply. */
export function drillTarget(input: DrillCell, ctx: DrillContext): DrillTarget {
  const measure = input.measure;
  const def = DRILLS[measure];
  const m = CATALOGUE.get(measure);
  if (!m || !Measures.values.includes(measure)) throw badInput(`unknown measure ${String(measure)}`, { argument: 'measure' });
  if (!def) throw badInput(`${measure} has no records to list`, { argument: 'measure' });
  const part = input.part ?? 'NUMERATOR';
  if (!['NUMERATOR', 'DENOMINATOR'].includes(part)) throw badInput(`part must be NUMERATOR or DENOMINATOR, got ${JSON.stringify(part)}`, { argument: 'part' });
  const list = <T extends string>(name: string, v: T[] | null | undefined, values?: readonly string[]): T[] | null => {
    if (v === null || v === undefined) return null;
    if (!Array.isArray(v) || v.length === 0) throw badInput(`${name} must be a non-empty list`, { argument: name });
    for (const x of v) if (typeof x !== 'string' || (values && !values.includes(x))) throw badInput(`${name}: unknown value ${JSON.stringify(x)}`, { argument: name });
    return [...new Set(v)];
  };
  const isIssue = m.dimensions.includes('CATEGORY');
  const cadreIds = list<string>('cadreIds', input.cadreIds);
  if (cadreIds && !m.dimensions.includes('CADRE')) throw badInput(`cadreIds does not apply to ${measure}`, { argument: 'cadreIds', measure });
  const householdTags = list<HouseholdTag>('householdTags', input.householdTags, HouseholdTags.values);
  if (householdTags && !TAGGED.has(measure)) throw badInput(`householdTags does not apply to ${measure} (it applies to ${[...TAGGED].join(', ')})`, { argument: 'householdTags', measure });
  if (input.ageBand != null && measure !== 'BACKLOG') throw badInput('ageBand applies to BACKLOG only', { argument: 'ageBand' });
  const zone = ctx.calendar.checkZone(input.timeZone ?? ctx.defaultZone);
  let from = input.from ?? null;
  let to = input.to ?? null;
  let asOf = input.asOf ?? null;
  if (input.year != null) {
    if (from !== null || to !== null) throw badInput('give either year or from/to', { argument: 'year' });
    if (!Number.isInteger(input.year)) throw badInput('year must be an integer', { argument: 'year' });
    // The scorecard's window, and the instant its facts are counted up to.
    const w = ctx.scorecardWindow(input.year, asOf);
    from = w.firstDay;
    to = w.lastDay;
    asOf = new Date(w.lastMs);
  }
  if (to === null) throw badInput('to is required (or year)', { argument: 'to' });
  ctx.calendar.localDate(to, zone, 'to');
  if (measure !== 'BACKLOG') {
    if (from === null) throw badInput('from is required (or year)', { argument: 'from' });
    ctx.calendar.localDate(from, zone, 'from');
    if (to < from) throw badInput(`"to" (${to}) is before "from" (${from})`, { argument: 'to' });
  }
  const cell: Cell = {
    from,
    to,
    timeZone: zone,
    asOf,
    regionId: input.regionId ?? null,
    // As the dashboard applies them: to issue measures only.
    categories: isIssue ? list<IssueCategory>('categories', input.categories, IssueCategories.values) : null,
    channels: isIssue ? list<IssueChannel>('channels', input.channels, IssueChannels.values) : null,
    departmentIds: isIssue ? list<string>('departmentIds', input.departmentIds) : null,
    cadreIds,
    householdTags,
  };
  if (measure === 'BACKLOG') return backlogTarget(cell, input.ageBand ?? null, ctx);
  const side = part === 'NUMERATOR' ? def.numerator : (def.denominator ?? def.numerator);
  if (!side) throw badInput(`${measure} has no ${part.toLowerCase()} records to list (its ${part === 'NUMERATOR' ? 'numerator is a sum' : 'denominator'}); ask for ${part === 'NUMERATOR' ? 'DENOMINATOR' : 'NUMERATOR'}`, { argument: 'part' });
  return { list: side.list, filter: side.build(cell), total: side.total ?? 'count' } as DrillTarget;
}

/**
 * BACKLOG (a stock): issues received by the stock instant — the end of `to`'s local day, or
 * asOf if earlier — and not closed at it; `from` does not limit it. With an ageing band, those
 * whose age at the end instant (the next local midnight, or asOf) is inside the band, as the
 * backlog ageing panel counts them.
 */
function backlogTarget(c: Cell, ageBand: string | null, ctx: DrillContext): DrillTarget {
  if (c.departmentIds) throw badInput('departmentIds does not apply to the BACKLOG drill-through (the list reads departments as of the stock instant)', { argument: 'departmentIds' });
  const endMs = ctx.calendar.endOfDay(c.to, c.timeZone!);
  const asOfMs = c.asOf ? c.asOf.getTime() : ctx.now();
  const stockMs = Math.min(endMs - 1, asOfMs);
  const filter: IssueRecordFilter = { timeZone: c.timeZone, asOf: new Date(stockMs), receivedTo: c.to, regionId: c.regionId, categories: c.categories, channels: c.channels, closed: false };
  if (ageBand !== null) {
    const band = AGEING_BANDS.find((b) => b.key === ageBand);
    if (!band) throw badInput(`ageBand must be one of ${AGEING_BANDS.map((b) => b.key).join(', ')}`, { argument: 'ageBand' });
    const ageFrom = Math.min(endMs, asOfMs);
    // Age = ageFrom − receivedAt, in [minDays, maxDays) days.
    filter.to = new Date(ageFrom - band.minDays * DAY_MS + 1);
    if (band.maxDays !== null) filter.from = new Date(ageFrom - band.maxDays * DAY_MS + 1);
  }
  return { list: 'issues', filter, total: 'count' };
}

const CELL_FIELDS = ['measure', 'part', 'from', 'to', 'year', 'timeZone', 'asOf', 'regionId', 'categories', 'channels', 'departmentIds', 'cadreIds', 'householdTags', 'ageBand'];

/** A drill cell from JSON (the CSV route): types checked here, the rest by drillTarget. */
export function readDrillCell(raw: unknown): DrillCell {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badInput('drill must be a JSON object', { argument: 'drill' });
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!CELL_FIELDS.includes(k)) throw badInput(`unknown field ${k}; known: ${CELL_FIELDS.join(', ')}`, { argument: k });
  const str = (k: string) => {
    const v = o[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw badInput(`${k} must be a string`, { argument: k });
    return v;
  };
  const strs = (k: string) => {
    const v = o[k];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 64)) throw badInput(`${k} must be a list of strings`, { argument: k });
    return v as string[];
  };
  const measure = str('measure');
  if (!measure || !Measures.values.includes(measure as Measure)) throw badInput(`measure must be one of ${Measures.values.join(', ')}`, { argument: 'measure' });
  const asOfText = str('asOf');
  const asOf = asOfText === null ? null : new Date(asOfText);
  if (asOf && (!Number.isFinite(asOf.getTime()) || !/T.*(Z|[+-]\d{2}:?\d{2})$/.test(asOfText!))) throw badInput('asOf must be an instant with an offset', { argument: 'asOf' });
  if (o.year !== undefined && o.year !== null && !Number.isInteger(o.year)) throw badInput('year must be an integer', { argument: 'year' });
  return {
    measure: measure as Measure,
    part: str('part') as DrillPart | null,
    from: str('from'),
    to: str('to'),
    year: (o.year as number | undefined) ?? null,
    timeZone: str('timeZone'),
    asOf,
    regionId: str('regionId'),
    categories: strs('categories') as IssueCategory[] | null,
    channels: strs('channels') as IssueChannel[] | null,
    departmentIds: strs('departmentIds'),
    cadreIds: strs('cadreIds'),
    householdTags: strs('householdTags') as HouseholdTag[] | null,
    ageBand: str('ageBand'),
  };
}
