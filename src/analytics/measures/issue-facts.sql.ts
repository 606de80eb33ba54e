/** Event types (and statuses) that leave an issue closed (domain.md), as an SQL list. */
export const CLOSED_TYPES_SQL = `'RESOLVED', 'EXPLAINED', 'CLOSED'`;
/** The other statuses: an issue in one of them is open. */
const OPEN_STATUSES_SQL = `'OPEN', 'IN_PROGRESS', 'REOPENED'`;

/**
 * The issues' derived state as of an instant, as a SELECT with one row per issue meeting
 * `cond` (a condition on alias `i`): id, region_id, household_id, received_at, due_at, channel,
 * category, department_id, closed (0/1), resolved_at (set only when unit-resolved),
 * first_response_at, transfer_count, reopen_count, resident_answer, latest_score, contacted.
 *
 * Where nothing after `asOf` fed an issue's state (state_changed_at ≤ asOf, the usual case)
 * the stored columns are exact. The rest is derived here from issue_events with at ≤ asOf and
 * survey_responses with responded_at ≤ asOf, by the rules of domain.md mirrored from
 * deriveIssueState: the last event by (at, id) sets the status; the last RESOLVED/EXPLAINED/
 * REOPENED decides unit-resolved; the last ASSIGNED/TRANSFERRED the department; the latest
 * response by (responded_at, id) the score, the latest with an answer the resident answer.
 * `only: 'derived'` gives just the issues whose state must be derived; `'open'` leaves out the
 * issues whose stored state is closed (for the issues open at asOf).
 */
export function issueStateAsOfSql(asOfMs: number, cond: (alias: string) => string, only?: 'derived' | 'open'): string {
  // `open`: of the stored states only the open ones (a range of idx_issues_open per status), for
  // the issues open at an instant; the derived ones still need their closed flag looked at.
  const open = only === 'open' ? ` AND i.status IN (${OPEN_STATUSES_SQL})` : '';
  const stored = `${storedIssueFacts('i', `${storedStateValid('i', asOfMs)}${open} AND ${cond('i')}`)}
UNION ALL
`;
  return `${only === 'derived' ? '' : stored}${derivedIssueFacts(asOfMs, cond)}`;
}

/** Whether the stored state of an issue (alias `a` on issues) is its state as of `asOfMs`: nothing after asOf fed it. */
export const storedStateValid = (a: string, asOfMs: number) => `(${a}.state_changed_at IS NULL OR ${a}.state_changed_at <= ${Math.trunc(asOfMs)})`;

/**
 * OVERDUE (超期, action.md): not closed at asOf and due before asOf, over issue facts (alias `f`,
 * the columns of issueStateAsOfSql). The one definition: the drill-through lists' `overdue`
 * filter and the OVERDUE worklist.
 */
export const overdueSql = (f: string, asOfMs: number) => `(${f}.closed = 0 AND ${f}.due_at IS NOT NULL AND ${f}.due_at < ${Math.trunc(asOfMs)})`;

/**
 * DUE_SOON (临期, action.md): not closed at asOf and due in [asOf, asOf + windowMs), over issue
 * facts (alias `f`). Together with overdueSql it splits the open issues due before asOf + window.
 */
export const dueSoonSql = (f: string, asOfMs: number, windowMs: number) =>
  `(${f}.closed = 0 AND ${f}.due_at >= ${Math.trunc(asOfMs)} AND ${f}.due_at < ${Math.trunc(asOfMs) + Math.trunc(windowMs)})`;

/** The stored state of the issues (alias `a`) meeting `where`, as issue facts (the columns of issueStateAsOfSql). */
export function storedIssueFacts(a: string, where: string): string {
  return `SELECT ${a}.id, ${a}.region_id, ${a}.household_id, ${a}.received_at, ${a}.due_at, ${a}.channel, ${a}.category, ${a}.department_id,
       CASE WHEN ${a}.status IN (${CLOSED_TYPES_SQL}) THEN 1 ELSE 0 END AS closed,
       ${a}.resolved_at, ${a}.first_response_at, ${a}.transfer_count, ${a}.reopen_count, ${a}.resident_answer, ${a}.latest_score, ${a}.contacted
  FROM issues ${a}
 WHERE ${where}`;
}

/**
 * The state as of `asOfMs` of the issues meeting `cond` whose stored state is later than it
 * (state_changed_at > asOf), derived from their events and responses up to asOf.
 */
export function derivedIssueFacts(asOfMs: number, cond: (alias: string) => string): string {
  const asOf = String(Math.trunc(asOfMs));
  const closedTypes = CLOSED_TYPES_SQL;
  const outcomeTypes = `'RESOLVED', 'EXPLAINED', 'REOPENED'`;
  const latest = (partition: string, order: string) => `ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${order} DESC, x.id DESC)`;
  return `SELECT i.id, i.region_id, i.household_id, i.received_at, i.due_at, i.channel, i.category, ev.department_id,
       CASE WHEN ev.last_type IN (${closedTypes}) THEN 1 ELSE 0 END AS closed,
       CASE WHEN ev.last_outcome = 'RESOLVED' THEN ev.outcome_at END AS resolved_at,
       ev.first_response_at, COALESCE(ev.transfers, 0) AS transfer_count, COALESCE(ev.reopens, 0) AS reopen_count,
       sv.resident_answer, sv.latest_score, sv.contacted
  FROM issues i
  LEFT JOIN (
    SELECT w.issue_id,
           MAX(CASE WHEN w.rn_all = 1 THEN w.type END) AS last_type,
           MAX(CASE WHEN w.rn_out = 1 AND w.type IN (${outcomeTypes}) THEN w.type END) AS last_outcome,
           MAX(CASE WHEN w.rn_out = 1 AND w.type IN (${outcomeTypes}) THEN w.at END) AS outcome_at,
           MIN(CASE WHEN w.type IN ('RESPONDED', 'RESOLVED', 'EXPLAINED') THEN w.at END) AS first_response_at,
           SUM(CASE WHEN w.type = 'TRANSFERRED' THEN 1 ELSE 0 END) AS transfers,
           SUM(CASE WHEN w.type = 'REOPENED' THEN 1 ELSE 0 END) AS reopens,
           MAX(CASE WHEN w.rn_dep = 1 AND w.type IN ('ASSIGNED', 'TRANSFERRED') THEN w.department_id END) AS department_id
      FROM (SELECT x.issue_id, x.type, x.at, x.department_id,
                   ${latest('x.issue_id', 'x.at')} AS rn_all,
                   ${latest(`x.issue_id, CASE WHEN x.type IN (${outcomeTypes}) THEN 1 ELSE 0 END`, 'x.at')} AS rn_out,
                   ${latest(`x.issue_id, CASE WHEN x.type IN ('ASSIGNED', 'TRANSFERRED') THEN 1 ELSE 0 END`, 'x.at')} AS rn_dep
              FROM issue_events x JOIN issues ie ON ie.id = x.issue_id
             WHERE ie.state_changed_at > ${asOf} AND x.at <= ${asOf} AND ${cond('ie')}) w
     GROUP BY w.issue_id
  ) ev ON ev.issue_id = i.id
  LEFT JOIN (
    SELECT w.issue_id,
           MAX(CASE WHEN w.rn_all = 1 THEN w.score END) AS latest_score,
           MAX(CASE WHEN w.rn_ans = 1 AND w.resolved IS NOT NULL THEN w.resolved END) AS resident_answer,
           MAX(CASE WHEN w.rn_con = 1 AND w.contacted IS NOT NULL THEN w.contacted END) AS contacted
      FROM (SELECT x.issue_id, x.score, x.resolved, x.contacted,
                   ${latest('x.issue_id', 'x.responded_at')} AS rn_all,
                   ${latest('x.issue_id, CASE WHEN x.resolved IS NULL THEN 0 ELSE 1 END', 'x.responded_at')} AS rn_ans,
                   ${latest('x.issue_id, CASE WHEN x.contacted IS NULL THEN 0 ELSE 1 END', 'x.responded_at')} AS rn_con
              FROM survey_responses x JOIN issues ie ON ie.id = x.issue_id
             WHERE ie.state_changed_at > ${asOf} AND x.responded_at <= ${asOf} AND ${cond('ie')}) w
     GROUP BY w.issue_id
  ) sv ON sv.issue_id = i.id
 WHERE i.state_changed_at > ${asOf} AND ${cond('i')}`;
}
