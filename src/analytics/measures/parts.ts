/*
 * The additive parts of every measure family, defined once. A part is an SQL expression over
 * one fact row (alias `f`), summed per cell; every measure of metrics.md is a count, a ratio or
 * a mean of parts. The same definitions build the raw family statements
 * (satisfaction/visits/issues.measures.ts), the rollup tables' columns and their maintenance
 * (rollups/), and the columns of the daily_metrics extract (by part name).
 *
 * Parts that depend on configuration (RESPONSE_SLA_HOURS, the festival windows) take it from a
 * PartContext; a rollup records the configuration it was built with and is rebuilt when it changes.
 */

/** What a part may depend on besides its fact row. */
export interface PartContext {
  /** RESPONSE_SLA_HOURS in milliseconds. */
  slaMs: number;
  /** SQL condition: the instant in `column` falls on a festival day (local days of the zone in use). */
  festival(column: string): string;
  /** SQL condition: an issue names the visit whose id is in `column` (received by asOf, for a query). */
  linkedIssue(column: string): string;
  /** REPEAT_WINDOW_DAYS in milliseconds. */
  repeatWindowMs: number;
}

/** One additive part: its name (a cell's key, a daily_metrics column) and the per-row expression summed. */
export interface Part {
  name: string;
  expr: string;
}

/** A rollup column holds a part under its snake_case name. */
export const columnOf = (part: string) => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
const FLAG = /^CASE WHEN ([\s\S]+) THEN 1 ELSE 0 END$/;

/**
 * The condition on one fact row (alias `f`) under which a part counts it: the rows a list of
 * records holds when it shows what the part counts (action.md "The records behind a number").
 * Defined by the part itself (a flag's condition; `1` counts every row), so a list and the sum
 * cannot disagree. A part that is not a 0/1 flag (a sum, a duration) has no condition.
 */
export function partCondition(parts: readonly Part[], name: string): string {
  const p = parts.find((x) => x.name === name);
  if (!p) throw new Error(`no part ${name}`);
  if (p.expr === '1') return '1 = 1';
  const m = FLAG.exec(p.expr);
  if (!m) throw new Error(`part ${name} is not a flag: it has no condition`);
  return `(${m[1]})`;
}

/** Survey responses (alias f = survey_responses). */
export const SATISFACTION_PARTS: readonly Part[] = [
  { name: 'responses', expr: '1' },
  { name: 'scoreSum', expr: 'f.score' },
  { name: 'satisfied', expr: flag('f.score >= 4') },
  { name: 'dissatisfied', expr: flag('f.score <= 2') },
];

/** Visits (alias f = visits): count, village-stay days (default 1), visits on festival days, visits that raised an issue. */
export function visitParts(c: PartContext): Part[] {
  return [
    { name: 'visits', expr: '1' },
    { name: 'villageStayDays', expr: "CASE WHEN f.kind = 'VILLAGE_STAY' THEN COALESCE(f.stay_days, 1) ELSE 0 END" },
    { name: 'holidayVisits', expr: flag(c.festival('f.visited_at')) },
    { name: 'visitsWithIssue', expr: flag(c.linkedIssue('f.id')) },
  ];
}

/**
 * Issue cohort parts over an issue's state (alias f: the columns of issue-facts.sql.ts —
 * received_at, due_at, channel, closed, resolved_at (set only while unit-resolved),
 * first_response_at, transfer_count, reopen_count, resident_answer, latest_score).
 */
export function issueParts(c: PartContext): Part[] {
  const unitResolved = 'f.resolved_at IS NOT NULL';
  return [
    { name: 'issuesReceived', expr: '1' },
    { name: 'respondedInSla', expr: flag(`f.first_response_at IS NOT NULL AND f.first_response_at - f.received_at <= ${Math.trunc(c.slaMs)}`) },
    { name: 'firstResponded', expr: flag('f.first_response_at IS NOT NULL') },
    { name: 'firstResponseMs', expr: 'CASE WHEN f.first_response_at IS NOT NULL THEN f.first_response_at - f.received_at ELSE 0 END' },
    { name: 'closed', expr: flag('f.closed = 1') },
    { name: 'unitResolved', expr: flag(unitResolved) },
    { name: 'resolveMs', expr: `CASE WHEN ${unitResolved} THEN f.resolved_at - f.received_at ELSE 0 END` },
    { name: 'residentAnswered', expr: flag('f.resident_answer IS NOT NULL') },
    { name: 'residentYes', expr: flag("f.resident_answer = 'YES'") },
    { name: 'unitResolvedAnswered', expr: flag(`${unitResolved} AND f.resident_answer IS NOT NULL`) },
    { name: 'unitResolvedDenied', expr: flag(`${unitResolved} AND f.resident_answer = 'NO'`) },
    { name: 'issuesWithResponse', expr: flag('f.latest_score IS NOT NULL') },
    { name: 'issueLatestSatisfied', expr: flag('f.latest_score >= 4') },
    { name: 'withDue', expr: flag('f.due_at IS NOT NULL') },
    { name: 'onTime', expr: flag(`f.due_at IS NOT NULL AND ${unitResolved} AND f.resolved_at <= f.due_at`) },
    { name: 'transferred', expr: flag('f.transfer_count >= 1') },
    { name: 'transfers', expr: 'f.transfer_count' },
    { name: 'reopened', expr: flag('f.reopen_count >= 1') },
    { name: 'proactive', expr: flag("f.channel = 'VISIT'") },
    { name: 'contactAnswered', expr: flag('f.contacted IS NOT NULL') },
    { name: 'contactedYes', expr: flag('f.contacted = 1') },
    { name: 'withHousehold', expr: flag('f.household_id IS NOT NULL') },
    // 跑来跑去: the same household had another issue of the same category in the window before
    // this one (equal instants: the smaller id is the earlier), wherever that issue was raised.
    {
      name: 'repeatAppeals',
      expr: flag(`f.household_id IS NOT NULL AND EXISTS (SELECT 1 FROM issues ro WHERE ro.household_id = f.household_id AND ro.category = f.category AND ro.id <> f.id
        AND ((ro.received_at >= f.received_at - ${Math.trunc(c.repeatWindowMs)} AND ro.received_at < f.received_at) OR (ro.received_at = f.received_at AND ro.id < f.id)))`),
    },
  ];
}

/** BACKLOG changes (alias f: one row per change of "received and not closed", `d` = +1 or −1 at `at`), and how many. */
export const BACKLOG_PARTS: readonly Part[] = [
  { name: 'backlogDelta', expr: 'f.d' },
  { name: 'backlogChanges', expr: '1' },
];

/** The parts' names do not depend on the configuration (only their SQL does). */
const NAMES_ONLY: PartContext = { slaMs: 0, festival: () => '1 = 0', linkedIssue: () => '1 = 0', repeatWindowMs: 0 };

/** Every additive part of a family, by name (the families that have them). */
export const FAMILY_PARTS: Readonly<Record<'satisfaction' | 'visits' | 'issues', readonly string[]>> = {
  satisfaction: SATISFACTION_PARTS.map((p) => p.name),
  visits: visitParts(NAMES_ONLY).map((p) => p.name),
  issues: issueParts(NAMES_ONLY).map((p) => p.name),
};

/** Parts summed in milliseconds; daily_metrics states them in hours (`<name minus Ms>HoursSum`). */
export const MS_PARTS = new Set(['firstResponseMs', 'resolveMs']);

/** `SUM(expr) AS name` for each part (or `SUM(sign * expr)` for a signed fact source). */
export function sumParts(parts: readonly Part[], sign?: string): string[] {
  return parts.map((p) => `SUM(${sign ? `${sign} * ` : ''}(${p.expr})) AS ${p.name}`);
}
