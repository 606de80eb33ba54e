import type { IssueEventType, IssueStatus, ResidentAnswer } from './enums';

export interface StateEvent {
  id: string;
  at: number; // epoch ms
  type: IssueEventType;
  departmentId: string | null;
}

export interface StateSurvey {
  id: string;
  respondedAt: number; // epoch ms
  score: number;
  resolved: ResidentAnswer | null;
  /** Whether the handling unit contacted the resident (null: not asked). */
  contacted: boolean | null;
}

/** The derived state of one issue (domain.md, "Issue state is derived from events"). */
export interface IssueState {
  status: IssueStatus;
  closed: boolean;
  unitResolved: boolean;
  resolvedAt: number | null;
  firstResponseAt: number | null;
  transferCount: number;
  reopenCount: number;
  departmentId: string | null;
  residentAnswer: ResidentAnswer | null;
  /** Score of the latest linked survey response (any), for ISSUE_SATISFIED_RATE. */
  latestScore: number | null;
  /** `contacted` of the latest linked response that answers it, for CONTACTED_RATE. */
  contacted: boolean | null;
  /** The latest instant among the inputs; the stored state is valid for any asOf ≥ this. */
  lastChangeAt: number | null;
}

/** The status an event leaves an issue in (domain.md); no event yet: OPEN. */
export const STATUS_OF: Record<IssueEventType, IssueStatus> = {
  ASSIGNED: 'IN_PROGRESS',
  TRANSFERRED: 'IN_PROGRESS',
  RESPONDED: 'IN_PROGRESS',
  RESOLVED: 'RESOLVED',
  EXPLAINED: 'EXPLAINED',
  REOPENED: 'REOPENED',
  CLOSED: 'CLOSED',
};

const byKey = <T>(at: (x: T) => number, id: (x: T) => string) => (a: T, b: T) =>
  at(a) - at(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);
const eventOrder = byKey<StateEvent>((e) => e.at, (e) => e.id);
const surveyOrder = byKey<StateSurvey>((s) => s.respondedAt, (s) => s.id);

/** The state of an issue with no events and no responses. */
const EMPTY: IssueState = {
  status: 'OPEN',
  closed: false,
  unitResolved: false,
  resolvedAt: null,
  firstResponseAt: null,
  transferCount: 0,
  reopenCount: 0,
  departmentId: null,
  residentAnswer: null,
  latestScore: null,
  contacted: null,
  lastChangeAt: null,
};

/**
 * Recomputes an issue's state from all its events and linked responses as of `asOf`.
 * Arrival order never matters: events are sorted by (at, id), responses by (respondedAt, id).
 */
export function deriveIssueState(
  events: readonly StateEvent[],
  surveys: readonly StateSurvey[],
  asOf: number = Number.POSITIVE_INFINITY,
): IssueState {
  return fold(EMPTY, events.filter((e) => e.at <= asOf), surveys.filter((s) => s.respondedAt <= asOf));
}

/**
 * The state after events and responses that all come later than everything `prev` was
 * derived from (each at or respondedAt > prev.lastChangeAt); equal to deriveIssueState over
 * the old and new inputs together. Returns null when an input is not later, so the caller
 * derives from all inputs instead.
 */
export function appendToIssueState(
  prev: IssueState,
  events: readonly StateEvent[],
  surveys: readonly StateSurvey[],
): IssueState | null {
  const after = prev.lastChangeAt ?? Number.NEGATIVE_INFINITY;
  if (events.some((e) => e.at <= after) || surveys.some((s) => s.respondedAt <= after)) return null;
  return fold(prev, events, surveys);
}

/**
 * Applies events and responses in order to a state. An outcome event (RESOLVED, EXPLAINED,
 * REOPENED) replaces the last outcome, so `resolvedAt` alone carries it: it is set only while
 * the last outcome is RESOLVED.
 */
function fold(start: IssueState, events: readonly StateEvent[], surveys: readonly StateSurvey[]): IssueState {
  const evs = [...events].sort(eventOrder);
  const svs = [...surveys].sort(surveyOrder);
  let { status, resolvedAt, firstResponseAt, transferCount, reopenCount, departmentId, residentAnswer, latestScore, contacted, lastChangeAt } = start;
  for (const e of evs) {
    status = STATUS_OF[e.type];
    if (e.type === 'RESOLVED') resolvedAt = e.at;
    else if (e.type === 'EXPLAINED' || e.type === 'REOPENED') resolvedAt = null;
    if (firstResponseAt === null && (e.type === 'RESPONDED' || e.type === 'RESOLVED' || e.type === 'EXPLAINED')) {
      firstResponseAt = e.at;
    }
    if (e.type === 'TRANSFERRED') transferCount++;
    if (e.type === 'REOPENED') reopenCount++;
    if (e.type === 'ASSIGNED' || e.type === 'TRANSFERRED') departmentId = e.departmentId;
  }
  for (const s of svs) {
    latestScore = s.score;
    if (s.resolved !== null) residentAnswer = s.resolved;
    if (s.contacted !== null) contacted = s.contacted;
  }
  const lastEvent = evs.length ? evs[evs.length - 1].at : null;
  const lastSurvey = svs.length ? svs[svs.length - 1].respondedAt : null;
  for (const at of [lastEvent, lastSurvey]) if (at !== null && (lastChangeAt === null || at > lastChangeAt)) lastChangeAt = at;
  return {
    status,
    closed: status === 'RESOLVED' || status === 'EXPLAINED' || status === 'CLOSED',
    unitResolved: resolvedAt !== null,
    resolvedAt,
    firstResponseAt,
    transferCount,
    reopenCount,
    departmentId,
    residentAnswer,
    latestScore,
    contacted,
    lastChangeAt,
  };
}
