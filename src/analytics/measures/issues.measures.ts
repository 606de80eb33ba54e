import { periodIndexSql, stockIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { CLOSED_TYPES_SQL, derivedIssueFacts, issueStateAsOfSql, storedIssueFacts } from './issue-facts.sql';
import { issueParts, sumParts } from './parts';
import { groupBy, inList, inRange, keyColumns, partContextOf, QueryPlan, regionJoins, Statement } from './query-plan';

/** Keys of a cohort issue (alias `f`): the bucket it was received in, department as of asOf, category, channel. */
const issueKeys = (plan: QueryPlan) => ({
  PERIOD: periodIndexSql('f.received_at', plan.buckets),
  DEPARTMENT: 'f.department_id',
  CATEGORY: 'f.category',
  CHANNEL: 'f.channel',
});

/** Issues received in the range (and by asOf), with their state as of asOf. */
function cohortFacts(plan: QueryPlan): string {
  return issueStateAsOfSql(plan.asOfMs, (a) => inRange(plan, `${a}.received_at`));
}

/** The category/channel/department filters on the facts alias `f` (department as of asOf in `department`). */
function issueFilters(plan: QueryPlan, params: Record<string, unknown>, department = 'f.department_id'): string {
  const where: string[] = [];
  if (plan.categories) where.push(`f.category IN (${inList('cat', plan.categories, params)})`);
  if (plan.channels) where.push(`f.channel IN (${inList('chan', plan.channels, params)})`);
  if (plan.departmentIds) where.push(`${department} IN (${inList('dep', plan.departmentIds, params)})`);
  return where.length ? where.join(' AND ') : '1 = 1';
}

/**
 * The issues received in the range whose receipt or stored state is after asOf (a rollup holds
 * their stored state), each twice: stored with sgn −1 and as of asOf with sgn +1 (not at all if
 * received after asOf). Added to a rollup's answer, it turns their stored state into their state
 * as of asOf.
 */
function lateFacts(plan: QueryPlan): string {
  const asOf = Math.trunc(plan.asOfMs);
  const received = (a: string) => `${a}.received_at >= ${plan.startMs} AND ${a}.received_at < ${plan.endMs}`;
  return `SELECT -1 AS sgn, s.* FROM (${storedIssueFacts('i', `${received('i')} AND (i.received_at > ${asOf} OR i.state_changed_at > ${asOf})`)}) s
UNION ALL
SELECT 1 AS sgn, d.* FROM (${derivedIssueFacts(asOf, (a) => `${received(a)} AND ${a}.received_at <= ${asOf}`)}) d`;
}

/** Issue cohort parts (parts.ts): every rate of the cohort is a ratio of two of them. */
export const ISSUE_COHORT: MeasureFamily = {
  id: 'issues',
  facts: ['issues', 'issue_events', 'survey_responses'],
  build(plan, wanted, options = {}) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, issueKeys(plan));
    const parts = issueParts(partContextOf(plan)).filter((p) => wanted.has(p.name) || p.name === 'issuesReceived');
    const sql = `WITH facts AS (${options.late ? lateFacts(plan) : cohortFacts(plan)})
SELECT ${[...keys.select, ...sumParts(parts, options.late ? 'f.sgn' : undefined)].join(',\n       ')}
  FROM facts f
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE ${issueFilters(plan, params)}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};

/** The durations the percentiles read: SQL over issue facts (alias f). */
export const DURATION_KINDS = {
  resolve: { expr: 'f.resolved_at - f.received_at', cond: 'f.resolved_at IS NOT NULL' },
  firstResponse: { expr: 'f.first_response_at - f.received_at', cond: 'f.first_response_at IS NOT NULL' },
} as const;
export type DurationKind = keyof typeof DURATION_KINDS;

/** Which duration each percentile reads, and its fraction p = pn / pd (integers keep ranks exact). */
export const DURATIONS = {
  medianResolve: { kind: 'resolve', pn: 1, pd: 2 },
  p90Resolve: { kind: 'resolve', pn: 9, pd: 10 },
  medianFirstResponse: { kind: 'firstResponse', pn: 1, pd: 2 },
} as const satisfies Record<string, { kind: DurationKind; pn: number; pd: number }>;
export type DurationId = keyof typeof DURATIONS;

/** The duration kinds the requested percentile parts read. */
export const durationKinds = (wanted: ReadonlySet<string>): DurationKind[] =>
  [...new Set(Object.entries(DURATIONS).filter(([id]) => wanted.has(id)).map(([, d]) => d.kind))];

/**
 * The durations of the cohort, every value with its cell's keys and its kind (`m`): the engine
 * picks each cell's percentiles from them (the PERCENTILE_CONT rule, metrics.service.ts). With
 * `late`, only the issues whose stored state is later than asOf, as of asOf (their stored
 * values are left out of the durations rollup's read).
 */
export const ISSUE_DURATIONS: MeasureFamily = {
  id: 'issueDurations',
  facts: ['issues', 'issue_events', 'survey_responses'],
  build(plan, wanted, options = {}) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, issueKeys(plan));
    const joins = regionJoins(plan, 'f.region_id', params);
    const filters = issueFilters(plan, params);
    const facts = options.late ? derivedIssueFacts(plan.asOfMs, (a) => inRange(plan, `${a}.received_at`)) : cohortFacts(plan);
    const branches = durationKinds(wanted).map(
      (kind) => `SELECT ${[...keys.select, `'${kind}' AS m`, `${DURATION_KINDS[kind].expr} AS v`].join(', ')}
  FROM facts f
  ${joins}
 WHERE ${DURATION_KINDS[kind].cond} AND ${filters}`,
    );
    return { sql: `WITH facts AS (${facts})
${branches.join('\nUNION ALL\n')}`, params };
  },
};

/**
 * Up to this many stock instants, BACKLOG counts the open issues at each instant directly
 * (stored state where nothing after the instant changed the issue, its last event at or before
 * the instant otherwise): cheap for the few instants of an overview or a monthly trend. Beyond
 * it, one pass of changes over all issues and events beats issues × instants.
 */
export const BACKLOG_INSTANTS_MAX = 36;

/**
 * What both BACKLOG strategies share: the last stock instant, and the department as of asOf
 * (stored, unless something after asOf fed the issue's state) with the CTE and join it needs.
 * The CTE holds the (usually few) issues whose state is derived, one row per issue, grouped so
 * MariaDB materializes it once instead of merging it into the outer join, where it cost a
 * primary-key probe of issues per issue × instant (2 M at demo ×10); the join probes it only
 * for issues changed after asOf.
 */
function backlogBasics(plan: QueryPlan) {
  const maxStock = Math.max(...plan.buckets.map((b) => b.stockMs));
  const byDepartment = plan.dims.has('DEPARTMENT') || plan.departmentIds !== null;
  return {
    maxStock,
    department: `CASE WHEN f.state_changed_at > ${plan.asOfMs} THEN fd.department_id ELSE f.department_id END`,
    fdCte: byDepartment
      ? `fd AS (SELECT z.id, MAX(z.department_id) AS department_id FROM (${issueStateAsOfSql(plan.asOfMs, (a) => `${a}.received_at <= ${maxStock}`, 'derived')}) z GROUP BY z.id)`
      : null,
    fdJoin: byDepartment ? `LEFT JOIN fd ON f.state_changed_at > ${plan.asOfMs} AND fd.id = f.id` : '',
  };
}

/** Whether BACKLOG for these buckets is counted per instant (`backlogStock`) or as changes (`backlogDelta`). */
export const backlogByInstants = (buckets: readonly { stockMs: number }[]) => buckets.length <= BACKLOG_INSTANTS_MAX;

/**
 * BACKLOG, a stock: per cell, changes of "received and not closed" summed between the
 * previous bucket's stock instant (exclusive) and this one's (inclusive); the service adds
 * them up bucket after bucket. An issue adds +1 when received; each closed spell (an event
 * leaving it RESOLVED/EXPLAINED/CLOSED, until the next event) adds −1 at its start and +1 at
 * its end. One pass over issues and events instead of issues × buckets.
 */
export const ISSUE_BACKLOG: MeasureFamily = {
  id: 'backlog',
  facts: ['issues', 'issue_events', 'survey_responses'],
  build(plan) {
    if (backlogByInstants(plan.buckets)) return backlogAtInstants(plan);
    const params: Record<string, unknown> = {};
    const { maxStock, department, fdCte, fdJoin } = backlogBasics(plan);
    const keys = keyColumns(plan, {
      PERIOD: stockIndexSql('dl.tm', plan.buckets),
      DEPARTMENT: department,
      CATEGORY: 'f.category',
      CHANNEL: 'f.channel',
    });
    const g = plan.dialect.greatest;
    const known = `i.received_at <= ${maxStock}`;
    // Events after the last stock instant cannot change it; a spell then open simply never ends.
    // Only the department needs the state as of asOf; the rest reads issues by primary key.
    const sql = `WITH spells AS (SELECT y.issue_id, y.at, y.next_at FROM (
    SELECT x.issue_id, x.type, x.at, LEAD(x.at) OVER (PARTITION BY x.issue_id ORDER BY x.at, x.id) AS next_at
      FROM issue_events x WHERE x.at <= ${maxStock}) y
   WHERE y.type IN (${CLOSED_TYPES_SQL})),
deltas AS (
  SELECT i.id AS issue_id, i.received_at AS tm, 1 AS d FROM issues i WHERE ${known}
  UNION ALL
  SELECT s.issue_id, ${g('s.at', 'i.received_at')} AS tm, -1 AS d FROM spells s JOIN issues i ON i.id = s.issue_id WHERE ${known}
  UNION ALL
  SELECT s.issue_id, ${g('s.next_at', 'i.received_at')} AS tm, 1 AS d FROM spells s JOIN issues i ON i.id = s.issue_id WHERE s.next_at IS NOT NULL AND ${known})${
    fdCte ? `,\n${fdCte}` : ''
  }
SELECT ${[...keys.select, 'SUM(dl.d) AS backlogDelta', '0 AS backlogStock'].join(', ')}
  FROM deltas dl
  JOIN issues f ON f.id = dl.issue_id
  ${fdJoin}
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE dl.tm <= ${maxStock} AND ${issueFilters(plan, params, department)}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};

/**
 * BACKLOG as a count at each bucket's stock instant t (derived table `b`): issues received by t
 * and not closed at t. An issue whose state nothing after t changed (state_changed_at ≤ t) is
 * closed at t exactly when its stored status is; otherwise its last event by (at, id) at or
 * before t decides (an index seek per such issue on idx_issue_events_issue_at_type).
 */
function backlogAtInstants(plan: QueryPlan): Statement {
  const params: Record<string, unknown> = {};
  const closed = CLOSED_TYPES_SQL;
  const { maxStock, department, fdCte, fdJoin } = backlogBasics(plan);
  const keys = keyColumns(plan, { PERIOD: 'b.i', DEPARTMENT: department, CATEGORY: 'f.category', CHANNEL: 'f.channel' });
  const instants = plan.dialect.rowsTable(['i', 't'], plan.buckets.map((bk, i) => [String(i), String(bk.stockMs)]));
  const lastEventClosed = `(SELECT CASE WHEN x.type IN (${closed}) THEN 1 ELSE 0 END FROM issue_events x
      WHERE x.issue_id = f.id AND x.at <= b.t ORDER BY x.at DESC, x.id DESC LIMIT 1)`;
  // Closed issues still count as rows (with 0), so a department or category with issues shows up as with changes.
  // Issues first, the few instants as a LEFT JOIN: the join order is then fixed on both stores,
  // so issues are read once (not once per instant, as MariaDB did with the instants leading).
  // Every issue received by the last instant meets at least that one, so no row has a null b.
  const closedAtT = `CASE WHEN f.state_changed_at IS NULL OR f.state_changed_at <= b.t
            THEN CASE WHEN f.status IN (${closed}) THEN 1 ELSE 0 END
            ELSE COALESCE(${lastEventClosed}, 0) END`;
  const sql = `${fdCte ? `WITH ${fdCte}\n` : ''}SELECT ${[...keys.select, `SUM(CASE WHEN ${closedAtT} = 0 THEN 1 ELSE 0 END) AS backlogStock`, '0 AS backlogDelta'].join(', ')}
  FROM issues f
  LEFT JOIN (${instants}) b ON f.received_at <= b.t
  ${fdJoin}
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE f.received_at <= ${maxStock} AND ${issueFilters(plan, params, department)}
 ${groupBy(keys.group)}`;
  return { sql, params };
}
