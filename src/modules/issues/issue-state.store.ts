import { EntityManager } from 'typeorm';
import { IssueEventType, ResidentAnswer } from '../../domain/enums';
import { dialectOf } from '../../database/dialect';
import { deriveIssueState } from '../../domain/issue-state';

const CHUNK = 500;
/** Issues per UPDATE: 10 parameters each stays far below SQLite's 32,766. */
const UPDATE_CHUNK = 1000;

const STATE_COLUMNS = [
  'status',
  'first_response_at',
  'resolved_at',
  'transfer_count',
  'reopen_count',
  'department_id',
  'resident_answer',
  'latest_score',
  'state_changed_at',
] as const;

/** An issue id followed by its new values of STATE_COLUMNS, in order. */
type StateRow = [string, ...unknown[]];

/** Writes the new state of many issues in one statement: an UPDATE joined to a table of the new values. */
async function updateStates(manager: EntityManager, rows: StateRow[], now: number): Promise<void> {
  const d = dialectOf(manager);
  const source = d.rowsTable(['id', ...STATE_COLUMNS], rows.map((r) => r.map(() => '?')));
  // now is an integer from the write clock, so it is written inline (parameter order differs by dialect).
  await manager.query(d.updateFrom('issues', source, 'id', STATE_COLUMNS, `updated_at = ${Math.trunc(now)}`), rows.flat());
}

/**
 * Recomputes and stores the derived state of the given issues from all their events and
 * linked responses (domain.md). Call it in the same transaction that changed either, so
 * the stored state never disagrees with the events. `now` becomes `updated_at` where the
 * state changed.
 */
export async function refreshIssueStates(manager: EntityManager, issueIds: Iterable<string>, now: number): Promise<number> {
  const ids = [...new Set(issueIds)];
  const changed: StateRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const marks = part.map(() => '?').join(', ');
    const [issues, events, surveys] = await Promise.all([
      manager.query(
        `SELECT id, status, first_response_at, resolved_at, transfer_count, reopen_count, department_id,
                resident_answer, latest_score, state_changed_at
           FROM issues WHERE id IN (${marks})`,
        part,
      ),
      manager.query(`SELECT id, issue_id, at, type, department_id FROM issue_events WHERE issue_id IN (${marks})`, part),
      manager.query(
        `SELECT id, issue_id, responded_at, score, resolved FROM survey_responses WHERE issue_id IN (${marks})`,
        part,
      ),
    ]);
    const eventsOf = groupBy(events as EventRow[], (e) => e.issue_id);
    const surveysOf = groupBy(surveys as SurveyRow[], (s) => s.issue_id);
    for (const row of issues as StoredRow[]) {
      const s = deriveIssueState(
        (eventsOf.get(row.id) ?? []).map((e) => ({
          id: e.id,
          at: Number(e.at),
          type: e.type,
          departmentId: e.department_id,
        })),
        (surveysOf.get(row.id) ?? []).map((r) => ({
          id: r.id,
          respondedAt: Number(r.responded_at),
          score: Number(r.score),
          resolved: r.resolved,
        })),
      );
      const next = [
        s.status,
        s.firstResponseAt,
        s.resolvedAt,
        s.transferCount,
        s.reopenCount,
        s.departmentId,
        s.residentAnswer,
        s.latestScore,
        s.lastChangeAt,
      ];
      const prev = [
        row.status,
        num(row.first_response_at),
        num(row.resolved_at),
        Number(row.transfer_count),
        Number(row.reopen_count),
        row.department_id,
        row.resident_answer,
        num(row.latest_score),
        num(row.state_changed_at),
      ];
      if (next.every((v, k) => v === prev[k])) continue;
      changed.push([row.id, ...next]);
    }
  }
  // One UPDATE per chunk, not per issue: the import of events is bound by these writes.
  for (let i = 0; i < changed.length; i += UPDATE_CHUNK) await updateStates(manager, changed.slice(i, i + UPDATE_CHUNK), now);
  return changed.length;
}

interface StoredRow {
  id: string;
  status: string;
  first_response_at: number | string | null;
  resolved_at: number | string | null;
  transfer_count: number | string;
  reopen_count: number | string;
  department_id: string | null;
  resident_answer: string | null;
  latest_score: number | string | null;
  state_changed_at: number | string | null;
}
interface EventRow {
  id: string;
  issue_id: string;
  at: number | string;
  type: IssueEventType;
  department_id: string | null;
}
interface SurveyRow {
  id: string;
  issue_id: string;
  responded_at: number | string;
  score: number | string;
  resolved: ResidentAnswer | null;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
