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
  /** The latest instant among the inputs; the stored state is valid for any asOf ≥ this. */
  lastChangeAt: number | null;
}

const STATUS_OF: Record<IssueEventType, IssueStatus> = {
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

/**
 * Recomputes an issue's state from all its events and linked responses as of `asOf`.
 * Arrival order never matters: events are sorted by (at, id), responses by (respondedAt, id).
 */
export function deriveIssueState(
  events: readonly StateEvent[],
  surveys: readonly StateSurvey[],
  asOf: number = Number.POSITIVE_INFINITY,
): IssueState {
  const evs = events.filter((e) => e.at <= asOf).sort(byKey((e) => e.at, (e) => e.id));
  const svs = surveys.filter((s) => s.respondedAt <= asOf).sort(byKey((s) => s.respondedAt, (s) => s.id));

  let status: IssueStatus = 'OPEN';
  let lastOutcome: IssueEventType | null = null;
  let lastOutcomeAt: number | null = null;
  let firstResponseAt: number | null = null;
  let transferCount = 0;
  let reopenCount = 0;
  let departmentId: string | null = null;
  for (const e of evs) {
    status = STATUS_OF[e.type];
    if (e.type === 'RESOLVED' || e.type === 'EXPLAINED' || e.type === 'REOPENED') {
      lastOutcome = e.type;
      lastOutcomeAt = e.at;
    }
    if (firstResponseAt === null && (e.type === 'RESPONDED' || e.type === 'RESOLVED' || e.type === 'EXPLAINED')) {
      firstResponseAt = e.at;
    }
    if (e.type === 'TRANSFERRED') transferCount++;
    if (e.type === 'REOPENED') reopenCount++;
    if (e.type === 'ASSIGNED' || e.type === 'TRANSFERRED') departmentId = e.departmentId;
  }
  const unitResolved = lastOutcome === 'RESOLVED';
  const answered = svs.filter((s) => s.resolved !== null);
  const last = <T>(xs: T[]) => (xs.length ? xs[xs.length - 1] : undefined);
  const lastChange = Math.max(last(evs)?.at ?? -Infinity, last(svs)?.respondedAt ?? -Infinity);
  return {
    status,
    closed: status === 'RESOLVED' || status === 'EXPLAINED' || status === 'CLOSED',
    unitResolved,
    resolvedAt: unitResolved ? lastOutcomeAt : null,
    firstResponseAt,
    transferCount,
    reopenCount,
    departmentId,
    residentAnswer: last(answered)?.resolved ?? null,
    latestScore: last(svs)?.score ?? null,
    lastChangeAt: Number.isFinite(lastChange) ? lastChange : null,
  };
}
