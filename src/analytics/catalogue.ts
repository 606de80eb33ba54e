import type { Config } from '../config';
import { Better, Dimension, Measure, Measures, MetricUnit } from './analytics.enums';
import type { FamilyId, MeasureFamily } from './measures/family';
import { ISSUE_BACKLOG, ISSUE_COHORT, ISSUE_DURATIONS } from './measures/issues.measures';
import { HOUSEHOLDS } from './measures/households.measures';
import { PAIRINGS } from './measures/pairings.measures';
import { SATISFACTION } from './measures/satisfaction.measures';
import { VISITS } from './measures/visits.measures';
import { wilson } from './wilson';

/** One computed cell value (api.md MetricValue). */
export interface MetricValueData {
  measure: Measure;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  low: number | null;
  high: number | null;
  suppressed: boolean;
}

/** A cell's parts: the numbers its families' statements returned (absent = 0 / no value). */
export type Parts = Readonly<Record<string, number>>;

export interface ValueContext {
  config: Readonly<Config>;
}

/** A measure: its definition (served by metricDefinitions) and how its value comes from parts. */
export interface MeasureDefinition {
  id: Measure;
  version: number;
  zh: string;
  en: string;
  unit: MetricUnit;
  formula: string;
  /** Which way is better (metrics.md): LOWER for the failures, NONE for the plain sizes, HIGHER otherwise. */
  better: Better;
  /** The families whose statements it needs (their facts are the tables it reads). */
  families: FamilyId[];
  /** The parts (measures/parts.ts) its value is computed from: a statement sums only the parts its measures read. */
  parts: string[];
  dimensions: Dimension[];
  value(parts: Parts, ctx: ValueContext): MetricValueData;
}

export const FAMILIES: Record<FamilyId, MeasureFamily> = {
  satisfaction: SATISFACTION,
  issues: ISSUE_COHORT,
  issueDurations: ISSUE_DURATIONS,
  backlog: ISSUE_BACKLOG,
  visits: VISITS,
  pairings: PAIRINGS,
  households: HOUSEHOLDS,
};

const ISSUE_DIMS: Dimension[] = ['REGION', 'PERIOD', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'];
const PEOPLE_DIMS: Dimension[] = ['REGION', 'PERIOD', 'CADRE'];
/** Measures of households (as they are now): no cadre. */
const HOUSEHOLD_DIMS: Dimension[] = ['REGION', 'PERIOD'];

const part = (p: Parts, k: string) => p[k] ?? 0;
/**
 * A value with the fields not given null. Every value is built by this one literal (no spread of
 * a blank): V8 copies a spread object with overridden fields through a slow path, per value.
 */
const valueData = (measure: Measure, value: number | null, numerator: number | null = null, denominator: number | null = null, suppressed = false): MetricValueData => ({
  measure,
  value,
  numerator,
  denominator,
  low: null,
  high: null,
  suppressed,
});

/** A count: value only. */
export const countOf = (measure: Measure, n: number): MetricValueData => valueData(measure, n);

/** k / n with its Wilson interval; value and interval null when n = 0 (counts still given). */
export function rateOf(measure: Measure, k: number, n: number): MetricValueData {
  const w = wilson(k, n);
  return { measure, value: n > 0 ? k / n : null, numerator: k, denominator: n, low: w?.low ?? null, high: w?.high ?? null, suppressed: false };
}

/** sum / n, null when n = 0. */
export const meanOf = (measure: Measure, sum: number, n: number): MetricValueData => valueData(measure, n > 0 ? sum / n : null, sum, n);

/** How a measure's value comes from a cell's parts, and which parts it reads. */
interface Strategy {
  parts: string[];
  value(parts: Parts, ctx: ValueContext): MetricValueData;
}

/** Satisfaction values hide everything below the privacy threshold (MIN_RESPONSES). */
const guarded = (s: Strategy): Strategy => ({
  parts: [...new Set([...s.parts, 'responses'])],
  value: (p, ctx) => {
    const v = s.value(p, ctx);
    return part(p, 'responses') < ctx.config.minResponses ? valueData(v.measure, null, null, null, true) : v;
  },
});

const rate = (measure: Measure, k: string, n: string): Strategy => ({ parts: [k, n], value: (p) => rateOf(measure, part(p, k), part(p, n)) });
const count = (measure: Measure, k: string): Strategy => ({ parts: [k], value: (p) => countOf(measure, part(p, k)) });
const mean = (measure: Measure, sum: string, n: string): Strategy => ({ parts: [sum, n], value: (p) => meanOf(measure, part(p, sum), part(p, n)) });
/** A percentile in hours; denominator = how many durations it summarises. */
const percentile = (measure: Measure, k: string): Strategy => ({ parts: [k], value: (p) => valueData(measure, k in p ? p[k] : null, null, part(p, `${k}N`)) });

type Def = Omit<MeasureDefinition, 'id' | 'version' | 'zh' | 'en' | 'parts' | 'value' | 'better'> & Strategy & { version?: number; better?: Better };
const def = (d: Omit<Def, keyof Strategy>, s: Strategy): Def => ({ ...d, ...s });

/** metrics.md: lower is better for these; RESPONSES and ISSUES_RECEIVED rank by size; every other measure, higher is better. */
const LOWER = new Set<Measure>(['DISSATISFIED_RATE', 'FALSE_CLOSURE_RATE', 'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'REPEAT_RATE', 'BACKLOG', 'HOLIDAY_VISIT_SHARE']);
const NONE = new Set<Measure>(['RESPONSES', 'ISSUES_RECEIVED']);
const betterOf = (m: Measure): Better => (LOWER.has(m) ? 'LOWER' : NONE.has(m) ? 'NONE' : 'HIGHER');

/** The three rates of THREE_RATE_SCORE, computed from the same cell's parts. */
const threeRate: Strategy = {
  parts: ['respondedInSla', 'issuesReceived', 'residentYes', 'residentAnswered', 'issueLatestSatisfied', 'issuesWithResponse'],
  value(p, ctx) {
    const w = ctx.config.threeRateWeights;
    const r = rateOf('RESPONSE_RATE', part(p, 'respondedInSla'), part(p, 'issuesReceived')).value;
    const s = rateOf('RESOLUTION_RATE', part(p, 'residentYes'), part(p, 'residentAnswered')).value;
    const m = rateOf('ISSUE_SATISFIED_RATE', part(p, 'issueLatestSatisfied'), part(p, 'issuesWithResponse')).value;
    const raw = r === null || s === null || m === null ? null : 100 * (w.response * r + w.resolution * s + w.satisfaction * m);
    // Binary floats turn 53 into 52.99999999999999; the score is a 0–100 figure, so 10 decimals are exact enough.
    const value = raw === null ? null : Math.round(raw * 1e10) / 1e10;
    return valueData('THREE_RATE_SCORE', value);
  },
};

/** BACKLOG: the statements give changes per bucket (or the stock at each bucket's instant); the engine runs them up into `backlog`. */
const stock: Strategy = { parts: ['backlogDelta'], value: (p) => countOf('BACKLOG', part(p, 'backlog')) };

const DEFS: Record<Measure, Def> = {
  RESPONSES: def({ unit: 'COUNT', formula: 'number of survey responses', families: ['satisfaction'], dimensions: PEOPLE_DIMS }, count('RESPONSES', 'responses')),
  SATISFACTION_AVG: def({ unit: 'SCORE', formula: 'mean score of responses; null with suppressed when responses < MIN_RESPONSES', families: ['satisfaction'], dimensions: PEOPLE_DIMS }, guarded(mean('SATISFACTION_AVG', 'scoreSum', 'responses'))),
  SATISFIED_RATE: def({ unit: 'RATE', formula: 'responses with score ≥ 4 / responses; suppressed when responses < MIN_RESPONSES', families: ['satisfaction'], dimensions: PEOPLE_DIMS }, guarded(rate('SATISFIED_RATE', 'satisfied', 'responses'))),
  DISSATISFIED_RATE: def({ unit: 'RATE', formula: 'responses with score ≤ 2 / responses; suppressed when responses < MIN_RESPONSES', families: ['satisfaction'], dimensions: PEOPLE_DIMS }, guarded(rate('DISSATISFIED_RATE', 'dissatisfied', 'responses'))),
  ISSUES_RECEIVED: def({ unit: 'COUNT', formula: 'issues received (cohort by receivedAt)', families: ['issues'], dimensions: ISSUE_DIMS }, count('ISSUES_RECEIVED', 'issuesReceived')),
  RESPONSE_RATE: def({ unit: 'RATE', formula: 'issues with firstResponseAt − receivedAt ≤ RESPONSE_SLA_HOURS / issues received', families: ['issues'], dimensions: ISSUE_DIMS }, rate('RESPONSE_RATE', 'respondedInSla', 'issuesReceived')),
  CLOSURE_RATE: def({ unit: 'RATE', formula: 'issues closed (RESOLVED, EXPLAINED or CLOSED) at asOf / issues received', families: ['issues'], dimensions: ISSUE_DIMS }, rate('CLOSURE_RATE', 'closed', 'issuesReceived')),
  RESOLUTION_RATE: def({ unit: 'RATE', formula: 'issues whose resident answer is YES / issues with a resident answer', families: ['issues'], dimensions: ISSUE_DIMS }, rate('RESOLUTION_RATE', 'residentYes', 'residentAnswered')),
  FALSE_CLOSURE_RATE: def({ unit: 'RATE', formula: 'unit-resolved issues whose resident answer is NO / unit-resolved issues with a resident answer', families: ['issues'], dimensions: ISSUE_DIMS }, rate('FALSE_CLOSURE_RATE', 'unitResolvedDenied', 'unitResolvedAnswered')),
  ISSUE_SATISFIED_RATE: def({ unit: 'RATE', formula: 'issues whose latest linked response has score ≥ 4 / issues with ≥ 1 linked response', families: ['issues'], dimensions: ISSUE_DIMS }, rate('ISSUE_SATISFIED_RATE', 'issueLatestSatisfied', 'issuesWithResponse')),
  ON_TIME_RATE: def({ unit: 'RATE', formula: 'unit-resolved issues with resolvedAt ≤ dueAt / issues that have dueAt', families: ['issues'], dimensions: ISSUE_DIMS }, rate('ON_TIME_RATE', 'onTime', 'withDue')),
  MEDIAN_HOURS_TO_RESOLVE: def({ unit: 'HOURS', formula: 'median (PERCENTILE_CONT 0.5) of (resolvedAt − receivedAt) / 3,600,000 ms over unit-resolved issues', families: ['issueDurations'], dimensions: ISSUE_DIMS }, percentile('MEDIAN_HOURS_TO_RESOLVE', 'medianResolve')),
  P90_HOURS_TO_RESOLVE: def({ unit: 'HOURS', formula: 'PERCENTILE_CONT 0.9 of (resolvedAt − receivedAt) / 3,600,000 ms over unit-resolved issues', families: ['issueDurations'], dimensions: ISSUE_DIMS }, percentile('P90_HOURS_TO_RESOLVE', 'p90Resolve')),
  MEDIAN_HOURS_TO_FIRST_RESPONSE: def({ unit: 'HOURS', formula: 'median (PERCENTILE_CONT 0.5) of (firstResponseAt − receivedAt) / 3,600,000 ms over issues with a first response', families: ['issueDurations'], dimensions: ISSUE_DIMS }, percentile('MEDIAN_HOURS_TO_FIRST_RESPONSE', 'medianFirstResponse')),
  TRANSFER_RATE: def({ unit: 'RATE', formula: 'issues with transferCount ≥ 1 / issues received', families: ['issues'], dimensions: ISSUE_DIMS }, rate('TRANSFER_RATE', 'transferred', 'issuesReceived')),
  AVG_TRANSFERS: def({ unit: 'COUNT', formula: 'mean transferCount of issues received', families: ['issues'], dimensions: ISSUE_DIMS }, mean('AVG_TRANSFERS', 'transfers', 'issuesReceived')),
  REOPEN_RATE: def({ unit: 'RATE', formula: 'issues with reopenCount ≥ 1 / issues received', families: ['issues'], dimensions: ISSUE_DIMS }, rate('REOPEN_RATE', 'reopened', 'issuesReceived')),
  PROACTIVE_RATE: def({ unit: 'RATE', formula: 'issues with channel VISIT / issues received', families: ['issues'], dimensions: ISSUE_DIMS }, rate('PROACTIVE_RATE', 'proactive', 'issuesReceived')),
  CONTACTED_RATE: def({ unit: 'RATE', formula: 'issues whose latest linked response with contacted set (by respondedAt, ties by id, as of asOf) says contacted / issues with such a response', families: ['issues'], dimensions: ISSUE_DIMS }, rate('CONTACTED_RATE', 'contactedYes', 'contactAnswered')),
  REPEAT_RATE: def({ unit: 'RATE', formula: 'issues with a household that had another issue of the same category received in the REPEAT_WINDOW_DAYS × 24 h before (equal receivedAt: the smaller id first), wherever it was raised / issues with a household', families: ['issues'], dimensions: ISSUE_DIMS }, rate('REPEAT_RATE', 'repeatAppeals', 'withHousehold')),
  BACKLOG: def({ unit: 'COUNT', formula: 'stock: issues received by the end instant of the bucket’s last day in range (next local midnight, or asOf if earlier) and not closed at that instant; from does not limit it', families: ['backlog'], dimensions: ISSUE_DIMS }, stock),
  THREE_RATE_SCORE: def({ unit: 'SCORE', formula: '100 × (wR·RESPONSE_RATE + wS·RESOLUTION_RATE + wM·ISSUE_SATISFIED_RATE), weights THREE_RATE_WEIGHTS (default 0.30/0.35/0.35); null when a part is null', families: ['issues'], dimensions: ISSUE_DIMS }, threeRate),
  VISITS: def({ unit: 'COUNT', formula: 'number of visits', families: ['visits'], dimensions: PEOPLE_DIMS }, count('VISITS', 'visits')),
  HOUSEHOLDS_VISITED: def({ unit: 'COUNT', formula: 'distinct households among visits that name one', families: ['visits'], dimensions: PEOPLE_DIMS }, count('HOUSEHOLDS_VISITED', 'householdsVisited')),
  VILLAGE_STAY_DAYS: def({ unit: 'DAYS', formula: 'sum of stayDays (default 1) of VILLAGE_STAY visits', families: ['visits'], dimensions: PEOPLE_DIMS }, count('VILLAGE_STAY_DAYS', 'villageStayDays')),
  HOLIDAY_VISIT_SHARE: def({ unit: 'RATE', formula: 'visits whose local date is in a festival window (FESTIVAL_WINDOWS) / visits', families: ['visits'], dimensions: PEOPLE_DIMS }, rate('HOLIDAY_VISIT_SHARE', 'holidayVisits', 'visits')),
  VISIT_ISSUE_RATE: def({ unit: 'RATE', formula: 'visits with ≥ 1 linked issue / visits', families: ['visits'], dimensions: PEOPLE_DIMS }, rate('VISIT_ISSUE_RATE', 'visitsWithIssue', 'visits')),
  VISIT_COVERAGE: def({ unit: 'RATE', formula: 'households in scope with ≥ 1 visit naming them in the bucket ∩ range / households in scope (as they are now); placed by the household’s region', families: ['households'], dimensions: HOUSEHOLD_DIMS }, rate('VISIT_COVERAGE', 'coveredHouseholds', 'households')),
  PAIRED_HOUSEHOLD_RATE: def({ unit: 'RATE', formula: 'households in scope with ≥ 1 pairing active on the last day of the bucket ∩ range / households in scope (as they are now); placed by the household’s region', families: ['households'], dimensions: HOUSEHOLD_DIMS }, rate('PAIRED_HOUSEHOLD_RATE', 'pairedHouseholds', 'households')),
  PAIRED_COVERAGE: def({ unit: 'RATE', formula: 'pairings active on the last day of the bucket ∩ range with ≥ 1 visit by that cadre to that household within the bucket ∩ range / those pairings; placed by the household’s region and the cadre', families: ['pairings'], dimensions: PEOPLE_DIMS }, rate('PAIRED_COVERAGE', 'coveredPairings', 'pairings')),
};

/** The metric catalogue: every measure's definition and strategy, in enum order. */
export const CATALOGUE: ReadonlyMap<Measure, MeasureDefinition> = new Map(
  Measures.values.map((id) => {
    const d = DEFS[id];
    return [id, { ...d, id, version: d.version ?? 1, zh: Measures.labels[id][0], en: Measures.labels[id][1], better: d.better ?? betterOf(id) }];
  }),
);

/** The tables a measure reads (union over its families). */
export function factsOf(m: MeasureDefinition): string[] {
  return [...new Set(m.families.flatMap((f) => FAMILIES[f].facts))];
}
