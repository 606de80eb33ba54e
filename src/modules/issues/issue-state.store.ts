import { EntityManager } from 'typeorm';
import { dialectOf } from '../../database/dialect';
import { IssueEventType, IssueStatus, ResidentAnswer } from '../../domain/enums';
import { appendToIssueState, deriveIssueState, IssueState, StateEvent, StateSurvey } from '../../domain/issue-state';

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
  'contacted',
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

/** Events and responses a batch added to an issue: new rows, not changed ones. */
export interface AddedInputs {
  events: StateEvent[];
  surveys: StateSurvey[];
}

/**
 * Recomputes and stores the derived state of issues (domain.md). `issueIds` are derived from
 * all their events and linked responses. `added` names issues whose only change is new events
 * or responses: when those all come after the stored state's last input (events arriving in
 * order, the usual case), the stored state is carried forward with them and the issue's older
 * rows are not read; otherwise it is derived from all of them too. Call it in the same
 * transaction that changed the rows, so the stored state never disagrees with the events.
 * `now` becomes `updated_at` where the state changed.
 */
export async function refreshIssueStates(
  manager: EntityManager,
  issueIds: Iterable<string>,
  now: number,
  added: ReadonlyMap<string, AddedInputs> = new Map(),
): Promise<number> {
  const full = new Set(issueIds);
  const ids = [...new Set([...full, ...added.keys()])];
  const changed: StateRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows: StoredRow[] = await manager.query(
      `SELECT id, status, first_response_at, resolved_at, transfer_count, reopen_count, department_id,
              resident_answer, latest_score, contacted, state_changed_at
         FROM issues WHERE id IN (${marks(part.length)})`,
      part,
    );
    const stored = new Map(rows.map((row) => [row.id, storedState(row)]));
    const next = new Map<string, IssueState>();
    const rederive: string[] = [];
    for (const [id, before] of stored) {
      const add = full.has(id) ? undefined : added.get(id);
      const carried = add && appendToIssueState(before, add.events, add.surveys);
      if (carried) next.set(id, carried);
      else rederive.push(id);
    }
    for (const [id, s] of await deriveFromRows(manager, rederive)) next.set(id, s);
    for (const [id, before] of stored) {
      const values = stateValues(next.get(id)!);
      const old = stateValues(before);
      if (values.every((v, k) => v === old[k])) continue;
      changed.push([id, ...values]);
    }
  }
  // One UPDATE per chunk, not per issue: the import of events is bound by these writes.
  for (let i = 0; i < changed.length; i += UPDATE_CHUNK) await updateStates(manager, changed.slice(i, i + UPDATE_CHUNK), now);
  return changed.length;
}

/** deriveIssueState for each issue, from all its stored events and linked responses. */
async function deriveFromRows(manager: EntityManager, ids: string[]): Promise<Map<string, IssueState>> {
  const out = new Map<string, IssueState>();
  if (!ids.length) return out;
  const [events, surveys] = await Promise.all([
    manager.query(`SELECT id, issue_id, at, type, department_id FROM issue_events WHERE issue_id IN (${marks(ids.length)})`, ids),
    manager.query(`SELECT id, issue_id, responded_at, score, resolved, contacted FROM survey_responses WHERE issue_id IN (${marks(ids.length)})`, ids),
  ]);
  const eventsOf = groupBy(events as EventRow[], (e) => e.issue_id);
  const surveysOf = groupBy(surveys as SurveyRow[], (s) => s.issue_id);
  for (const id of ids) {
    out.set(
      id,
      deriveIssueState(
        (eventsOf.get(id) ?? []).map((e) => ({ id: e.id, at: Number(e.at), type: e.type, departmentId: e.department_id })),
        (surveysOf.get(id) ?? []).map((r) => ({ id: r.id, respondedAt: Number(r.responded_at), score: Number(r.score), resolved: r.resolved, contacted: bool(r.contacted) })),
      ),
    );
  }
  return out;
}

/** The values of STATE_COLUMNS, in order. */
function stateValues(s: IssueState): unknown[] {
  return [s.status, s.firstResponseAt, s.resolvedAt, s.transferCount, s.reopenCount, s.departmentId, s.residentAnswer, s.latestScore, s.contacted === null ? null : s.contacted ? 1 : 0, s.lastChangeAt];
}

/** The stored columns read back as the IssueState they were written from. */
function storedState(row: StoredRow): IssueState {
  const status = row.status as IssueStatus;
  const resolvedAt = num(row.resolved_at);
  return {
    status,
    closed: status === 'RESOLVED' || status === 'EXPLAINED' || status === 'CLOSED',
    unitResolved: resolvedAt !== null,
    resolvedAt,
    firstResponseAt: num(row.first_response_at),
    transferCount: Number(row.transfer_count),
    reopenCount: Number(row.reopen_count),
    departmentId: row.department_id,
    residentAnswer: row.resident_answer,
    latestScore: num(row.latest_score),
    contacted: bool(row.contacted),
    lastChangeAt: num(row.state_changed_at),
  };
}

interface StoredRow {
  id: string;
  status: string;
  first_response_at: number | string | null;
  resolved_at: number | string | null;
  transfer_count: number | string;
  reopen_count: number | string;
  department_id: string | null;
  resident_answer: ResidentAnswer | null;
  latest_score: number | string | null;
  contacted: number | string | null;
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
  contacted: number | string | null;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));
const bool = (v: number | string | null) => (v == null ? null : Number(v) === 1);

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

const marks = (n: number) => Array(n).fill('?').join(', ');
