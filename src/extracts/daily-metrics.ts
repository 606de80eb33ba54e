import { DateTime } from 'luxon';
import type { Config, FestivalWindow } from '../config';
import { IssueEventType, ResidentAnswer } from '../domain/enums';
import { deriveIssueState, IssueState } from '../domain/issue-state';
import { DAILY_MEASURES, DailyMeasure, ExtractRecord } from './extract-datasets';
import type { ReadConnection, Row } from './read-connection';

const HOUR_MS = 3_600_000;
/** Days computed per round of statements: bounds the rows held at once to villages × this. */
const WINDOW_DAYS = 31;
const ID_CHUNK = 500;

export interface DailyMetricsRange {
  /** Inclusive local dates (YYYY-MM-DD) in the reporting time zone. */
  from: string;
  to: string;
  /** The extract's time: facts and issue state as of this instant. */
  asOf: number;
}

type Cell = Record<DailyMeasure, number>;
const emptyCell = (): Cell => Object.fromEntries(DAILY_MEASURES.map((m) => [m, 0])) as Cell;

/** Local dates inside a festival window (metrics.md "Festival windows"). */
export function festivalDays(festivals: readonly FestivalWindow[]): Set<string> {
  const days = new Set<string>();
  for (const f of festivals) {
    for (const d of f.dates) {
      const day = DateTime.fromISO(d, { zone: 'utc' });
      for (let k = -f.daysBefore; k <= f.daysAfter; k++) days.add(day.plus({ days: k }).toISODate()!);
    }
  }
  return days;
}

/**
 * daily_metrics: per village per local day, the additive parts of every measure whose parts
 * add up across villages and days (README.md defines each). Computed window by window in SQL
 * (one GROUP BY per fact table), rows yielded in (date, villageId) order. Facts recorded at a
 * group count for its village; facts recorded above village level have no village and are
 * left out. Issue state is as of `asOf`: the stored derived state where no event or response
 * after `asOf` fed it, otherwise recomputed from the events and responses up to `asOf`.
 */
export async function* computeDailyMetrics(
  conn: ReadConnection,
  range: DailyMetricsRange,
  config: Pick<Config, 'reportingTimeZone' | 'responseSlaHours' | 'festivals'>,
  stop: () => boolean | Promise<boolean>,
): AsyncGenerator<ExtractRecord[]> {
  const zone = config.reportingTimeZone;
  const holidays = festivalDays(config.festivals);
  const first = DateTime.fromISO(range.from, { zone });
  const last = DateTime.fromISO(range.to, { zone });
  for (let start = first; start <= last; start = start.plus({ days: WINDOW_DAYS })) {
    if (await stop()) return;
    const days: string[] = [];
    for (let d = start; d <= last && days.length < WINDOW_DAYS; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
    // Local midnights as instants: a 23- or 25-hour day is still one day.
    const bounds = [...days, DateTime.fromISO(days[days.length - 1], { zone }).plus({ days: 1 }).toISODate()!].map((d) =>
      DateTime.fromISO(d, { zone }).startOf('day').toMillis(),
    );
    const cells = await computeWindow(conn, bounds, range.asOf, config.responseSlaHours * HOUR_MS);
    const out: ExtractRecord[] = [...cells.entries()]
      .map(([key, cell]) => {
        const [dayIndex, villageId] = splitKey(key);
        const date = days[dayIndex];
        cell.holidayVisits = holidays.has(date) ? cell.visits : 0;
        return { date, villageId, ...cell } as ExtractRecord;
      })
      .sort((a, b) => cmp(a.date as string, b.date as string) || cmp(a.villageId as string, b.villageId as string));
    if (out.length) yield out;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (day: number, village: string) => `${day}|${village}`;
function splitKey(key: string): [number, string] {
  const bar = key.indexOf('|');
  return [Number(key.slice(0, bar)), key.slice(bar + 1)];
}

/** `CASE` giving the 0-based day of an instant column inside [bounds[0], bounds[n]). */
function dayIndexSql(column: string, bounds: number[]): string {
  if (bounds.length === 2) return '0';
  const whens = bounds.slice(1, -1).map((b, i) => `WHEN ${column} < ${b} THEN ${i}`);
  return `CASE ${whens.join(' ')} ELSE ${bounds.length - 2} END`;
}

async function computeWindow(conn: ReadConnection, bounds: number[], asOf: number, slaMs: number): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  const add = (rows: Row[]) => {
    for (const r of rows) {
      const key = keyOf(Number(r.d), String(r.village));
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = emptyCell()));
      for (const m of DAILY_MEASURES) if (r[m] !== undefined && r[m] !== null) cell[m] += Number(r[m]);
    }
  };
  const lo = bounds[0];
  const hi = bounds[bounds.length - 1];
  const village = `JOIN region_closure rc ON rc.descendant_id = f.region_id AND rc.ancestor_level = 'VILLAGE'`;
  const inWindow = (col: string) => `f.${col} >= ${lo} AND f.${col} < ${hi} AND f.${col} <= ?`;
  const flag = (cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

  add(
    await conn.query(
      `SELECT rc.ancestor_id AS village, ${dayIndexSql('f.responded_at', bounds)} AS d,
              COUNT(*) AS responses, SUM(f.score) AS scoreSum,
              ${flag('f.score >= 4')} AS satisfied, ${flag('f.score <= 2')} AS dissatisfied
         FROM survey_responses f ${village}
        WHERE ${inWindow('responded_at')}
        GROUP BY rc.ancestor_id, d`,
      [asOf],
    ),
  );
  add(
    await conn.query(
      `SELECT rc.ancestor_id AS village, ${dayIndexSql('f.visited_at', bounds)} AS d,
              COUNT(*) AS visits,
              SUM(CASE WHEN f.kind = 'VILLAGE_STAY' THEN COALESCE(f.stay_days, 1) ELSE 0 END) AS villageStayDays,
              ${flag('EXISTS (SELECT 1 FROM issues i WHERE i.visit_id = f.id AND i.received_at <= ?)')} AS visitsWithIssue
         FROM visits f ${village}
        WHERE ${inWindow('visited_at')}
        GROUP BY rc.ancestor_id, d`,
      [asOf, asOf],
    ),
  );
  // Issues whose stored state is the state as of asOf (nothing after asOf fed it).
  const unitResolved = 'f.resolved_at IS NOT NULL';
  add(
    await conn.query(
      `SELECT rc.ancestor_id AS village, ${dayIndexSql('f.received_at', bounds)} AS d,
              COUNT(*) AS issuesReceived,
              ${flag('f.first_response_at IS NOT NULL AND f.first_response_at - f.received_at <= ?')} AS respondedInSla,
              ${flag('f.first_response_at IS NOT NULL')} AS firstResponded,
              SUM(CASE WHEN f.first_response_at IS NOT NULL THEN f.first_response_at - f.received_at ELSE 0 END) AS firstResponseMs,
              ${flag("f.status IN ('RESOLVED', 'EXPLAINED', 'CLOSED')")} AS closed,
              ${flag(unitResolved)} AS unitResolved,
              SUM(CASE WHEN ${unitResolved} THEN f.resolved_at - f.received_at ELSE 0 END) AS resolveMs,
              ${flag('f.resident_answer IS NOT NULL')} AS residentAnswered,
              ${flag("f.resident_answer = 'YES'")} AS residentYes,
              ${flag(`${unitResolved} AND f.resident_answer IS NOT NULL`)} AS unitResolvedAnswered,
              ${flag(`${unitResolved} AND f.resident_answer = 'NO'`)} AS unitResolvedDenied,
              ${flag('f.latest_score IS NOT NULL')} AS issuesWithResponse,
              ${flag('f.latest_score >= 4')} AS issueLatestSatisfied,
              ${flag('f.due_at IS NOT NULL')} AS withDue,
              ${flag(`f.due_at IS NOT NULL AND ${unitResolved} AND f.resolved_at <= f.due_at`)} AS onTime,
              ${flag('f.transfer_count >= 1')} AS transferred,
              SUM(f.transfer_count) AS transfers,
              ${flag('f.reopen_count >= 1')} AS reopened,
              ${flag("f.channel = 'VISIT'")} AS proactive
         FROM issues f ${village}
        WHERE ${inWindow('received_at')} AND (f.state_changed_at IS NULL OR f.state_changed_at <= ?)
        GROUP BY rc.ancestor_id, d`,
      [slaMs, asOf, asOf],
    ).then((rows) => rows.map(withHours)),
  );
  // The rare issue with an event or response dated after asOf: derive its state as of asOf.
  const later = await conn.query<Row>(
    `SELECT f.id, rc.ancestor_id AS village, ${dayIndexSql('f.received_at', bounds)} AS d, f.received_at, f.due_at, f.channel
       FROM issues f ${village}
      WHERE ${inWindow('received_at')} AND f.state_changed_at > ?`,
    [asOf, asOf],
  );
  for (let i = 0; i < later.length; i += ID_CHUNK) {
    const part = later.slice(i, i + ID_CHUNK);
    const states = await statesAsOf(conn, part.map((r) => String(r.id)), asOf);
    add(part.map((r) => issueParts(r, states.get(String(r.id))!, slaMs)));
  }
  return cells;
}

function withHours(r: Row): Row {
  return { ...r, firstResponseHoursSum: Number(r.firstResponseMs ?? 0) / HOUR_MS, resolveHoursSum: Number(r.resolveMs ?? 0) / HOUR_MS };
}

/** One issue's additive parts, the same rules as the SQL above. */
function issueParts(r: Row, s: IssueState, slaMs: number): Row {
  const received = Number(r.received_at);
  const due = r.due_at == null ? null : Number(r.due_at);
  const resolved = s.unitResolved ? s.resolvedAt! : null;
  const b = (x: boolean) => (x ? 1 : 0);
  return {
    village: r.village,
    d: r.d,
    issuesReceived: 1,
    respondedInSla: b(s.firstResponseAt !== null && s.firstResponseAt - received <= slaMs),
    firstResponded: b(s.firstResponseAt !== null),
    firstResponseHoursSum: s.firstResponseAt === null ? 0 : (s.firstResponseAt - received) / HOUR_MS,
    closed: b(s.closed),
    unitResolved: b(resolved !== null),
    resolveHoursSum: resolved === null ? 0 : (resolved - received) / HOUR_MS,
    residentAnswered: b(s.residentAnswer !== null),
    residentYes: b(s.residentAnswer === 'YES'),
    unitResolvedAnswered: b(resolved !== null && s.residentAnswer !== null),
    unitResolvedDenied: b(resolved !== null && s.residentAnswer === 'NO'),
    issuesWithResponse: b(s.latestScore !== null),
    issueLatestSatisfied: b(s.latestScore !== null && s.latestScore >= 4),
    withDue: b(due !== null),
    onTime: b(due !== null && resolved !== null && resolved <= due),
    transferred: b(s.transferCount >= 1),
    transfers: s.transferCount,
    reopened: b(s.reopenCount >= 1),
    proactive: b(r.channel === 'VISIT'),
  };
}

async function statesAsOf(conn: ReadConnection, ids: string[], asOf: number): Promise<Map<string, IssueState>> {
  const marks = ids.map(() => '?').join(', ');
  const events = await conn.query<{ id: string; issue_id: string; at: number; type: IssueEventType; department_id: string | null }>(
    `SELECT id, issue_id, at, type, department_id FROM issue_events WHERE issue_id IN (${marks}) AND at <= ?`,
    [...ids, asOf],
  );
  const surveys = await conn.query<{ id: string; issue_id: string; responded_at: number; score: number; resolved: ResidentAnswer | null }>(
    `SELECT id, issue_id, responded_at, score, resolved FROM survey_responses WHERE issue_id IN (${marks}) AND responded_at <= ?`,
    [...ids, asOf],
  );
  const eventsOf = groupBy(events, (e) => e.issue_id);
  const surveysOf = groupBy(surveys, (s) => s.issue_id);
  const states = new Map<string, IssueState>();
  for (const id of ids) {
    const evs = (eventsOf.get(id) ?? []).map((e) => ({ id: e.id, at: Number(e.at), type: e.type, departmentId: e.department_id }));
    const svs = (surveysOf.get(id) ?? []).map((s) => ({
      id: s.id,
      respondedAt: Number(s.responded_at),
      score: Number(s.score),
      resolved: s.resolved,
    }));
    states.set(id, deriveIssueState(evs, svs, asOf));
  }
  return states;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const list = m.get(key(x));
    if (list) list.push(x);
    else m.set(key(x), [x]);
  }
  return m;
}
