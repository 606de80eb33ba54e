import { derivedIssueFacts, dueSoonSql, issueStateAsOfSql, overdueSql, storedIssueFacts, storedStateValid } from '../measures/issue-facts.sql';
import { issueParts, partCondition, PartContext } from '../measures/parts';
import type { Statement } from '../measures/query-plan';

/*
 * The SQL of the worklist rules (action.md "Worklists"). Issue state as of asOf is the engine's
 * (issue-facts.sql.ts: stored columns where nothing after asOf fed them, derived from events and
 * responses up to asOf otherwise), and each issue rule is the engine's own condition: OVERDUE is
 * `overdueSql`, DENIED_NOT_REDONE the `unitResolvedDenied` part. Every statement keeps the rows
 * whose region lies under each of `roots` (the caller's scope, the `regionId` filter).
 */

/** What every rule statement is built for. */
export interface AlertSqlContext {
  asOfMs: number;
  /** Region subtrees a row's region must lie in (scope root, regionId); none: the whole county. */
  roots: readonly string[];
}

/** The condition "region in every root's subtree" on a region id column, with its parameters. */
function inRoots(column: string, roots: readonly string[], params: Record<string, unknown>): string {
  if (roots.length === 0) return '1 = 1';
  return roots
    .map((root, i) => {
      params[`p_root${i}`] = root;
      return `${column} IN (SELECT rc.descendant_id FROM region_closure rc WHERE rc.ancestor_id = :p_root${i})`;
    })
    .join(' AND ');
}

/** A rule's issue columns: the issue, its region, its department as of asOf and the cadre of the visit that raised it. */
const ISSUE_COLUMNS = 'f.id AS subject_id, f.region_id, f.department_id, rv.cadre_id';
const ISSUE_JOINS = 'JOIN issues ix ON ix.id = f.id LEFT JOIN visits rv ON rv.id = ix.visit_id';

/**
 * OVERDUE and DUE_SOON: the issues received by asOf, not closed at asOf and due before
 * asOf + window, with `overdue` 1 (due before asOf: OVERDUE) or 0 (due in [asOf, asOf + window):
 * DUE_SOON). Only the stored states that are open are read (issueStateAsOfSql `open`).
 */
export function deadlineAlertsSql(ctx: AlertSqlContext, windowMs: number, which: { overdue: boolean; dueSoon: boolean }): Statement {
  const params: Record<string, unknown> = {};
  const asOf = Math.trunc(ctx.asOfMs);
  const upper = which.dueSoon ? asOf + Math.trunc(windowMs) : asOf;
  const cond = (a: string) =>
    [`${a}.received_at <= ${asOf}`, `${a}.due_at IS NOT NULL`, `${a}.due_at < ${upper}`, ...(which.overdue ? [] : [`${a}.due_at >= ${asOf}`]), inRoots(`${a}.region_id`, ctx.roots, params)].join(' AND ');
  const kept = [which.overdue ? overdueSql('f', asOf) : null, which.dueSoon ? dueSoonSql('f', asOf, windowMs) : null].filter(Boolean).join(' OR ');
  return {
    sql: `SELECT ${ISSUE_COLUMNS}, f.due_at, CASE WHEN ${overdueSql('f', asOf)} THEN 1 ELSE 0 END AS overdue
  FROM (${issueStateAsOfSql(asOf, cond, 'open')}) f
  ${ISSUE_JOINS}
 WHERE ${kept}`,
    params,
  };
}

/**
 * DENIED_NOT_REDONE: issues received by asOf that are unit-resolved with the resident's answer NO
 * as of asOf (the `unitResolvedDenied` part), whose answering response — the latest with an
 * answer up to asOf — was at least `graceMs` before asOf; `answered_at` is its respondedAt.
 */
export function deniedAlertsSql(ctx: AlertSqlContext, graceMs: number, parts: PartContext): Statement {
  const params: Record<string, unknown> = {};
  const asOf = Math.trunc(ctx.asOfMs);
  const base = (a: string) => `${a}.received_at <= ${asOf} AND ${inRoots(`${a}.region_id`, ctx.roots, params)}`;
  const denied = partCondition(issueParts(parts), 'unitResolvedDenied');
  // The stored branch reads only stored denials (the state is exact there); the derived one decides from events and responses.
  const stored = storedIssueFacts('i', `${storedStateValid('i', asOf)} AND i.resident_answer = 'NO' AND i.resolved_at IS NOT NULL AND ${base('i')}`);
  return {
    sql: `SELECT ${ISSUE_COLUMNS}, f.answered_at
  FROM (SELECT f.*, (SELECT MAX(sr.responded_at) FROM survey_responses sr
                      WHERE sr.issue_id = f.id AND sr.resolved IS NOT NULL AND sr.responded_at <= ${asOf}) AS answered_at
          FROM (${stored}
                UNION ALL
                ${derivedIssueFacts(asOf, base)}) f
         WHERE ${denied}) f
  ${ISSUE_JOINS}
 WHERE f.answered_at <= ${asOf - Math.trunc(graceMs)}`,
    params,
  };
}

/**
 * SILENT_PAIRING: pairings active on `day` (asOf's local date) that started on or before
 * `startedBy`, whose cadre has not visited their household in [asOf − windowMs, asOf];
 * `last_visit` is that cadre's latest visit to it up to asOf (null: never). Region: the household's.
 */
export function silentPairingAlertsSql(ctx: AlertSqlContext, day: string, startedBy: string, windowMs: number): Statement {
  const params: Record<string, unknown> = { p_day: day, p_started_by: startedBy };
  const asOf = Math.trunc(ctx.asOfMs);
  return {
    sql: `SELECT s.id AS subject_id, s.region_id, s.cadre_id, s.started_on, s.last_visit
  FROM (SELECT p.id, h.region_id, p.cadre_id, p.started_on,
               (SELECT MAX(v.visited_at) FROM visits v
                 WHERE v.household_id = p.household_id AND v.cadre_id = p.cadre_id AND v.visited_at <= ${asOf}) AS last_visit
          FROM pairings p JOIN households h ON h.id = p.household_id
         WHERE p.started_on <= :p_started_by AND (p.ended_on IS NULL OR p.ended_on >= :p_day)
           AND ${inRoots('h.region_id', ctx.roots, params)}) s
 WHERE s.last_visit IS NULL OR s.last_visit < ${asOf - Math.trunc(windowMs)}`,
    params,
  };
}

/**
 * REPEAT_APPEALS: households with at least `min` issues received in [asOf − windowMs, asOf]
 * (wherever they were raised); `first_at` is the first of them. Region: the household's.
 */
export function repeatAppealAlertsSql(ctx: AlertSqlContext, windowMs: number, min: number): Statement {
  const params: Record<string, unknown> = { p_min: Math.trunc(min) };
  const asOf = Math.trunc(ctx.asOfMs);
  return {
    sql: `SELECT h.id AS subject_id, h.region_id, COUNT(*) AS n, MIN(i.received_at) AS first_at
  FROM issues i JOIN households h ON h.id = i.household_id
 WHERE i.received_at >= ${asOf - Math.trunc(windowMs)} AND i.received_at <= ${asOf}
   AND ${inRoots('h.region_id', ctx.roots, params)}
 GROUP BY h.id, h.region_id
HAVING COUNT(*) >= :p_min`,
    params,
  };
}

/** The cadres whose home region is under the roots, with their rank (BEHIND_PACE, VETO_RISK). */
export function alertCadresSql(ctx: AlertSqlContext): Statement {
  const params: Record<string, unknown> = {};
  return { sql: `SELECT c.id, c.rank, c.region_id FROM cadres c WHERE ${inRoots('c.region_id', ctx.roots, params)}`, params };
}
