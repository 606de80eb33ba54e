import {
  buildCadre,
  buildDepartment,
  buildHousehold,
  buildIssue,
  buildIssueEvent,
  buildPairing,
  buildRegion,
  buildSurveyResponse,
  buildVisit,
  insertFixtures,
  Rec,
} from '.';
import type { TestStore } from '../helpers/stores';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The worklists' instant: 2025-06-15 12:00 in Asia/Shanghai (local date 2025-06-15, day 166 of 365). */
export const ALERTS_AS_OF = Date.parse('2025-06-15T12:00:00+08:00');
/** Two hours later: the events and responses dated in between exist for it only. */
export const ALERTS_LATER = ALERTS_AS_OF + 2 * HOUR;

const T = ALERTS_AS_OF;
const iso = (ms: number) => new Date(ms).toISOString();
const local = (s: string) => `${s}+08:00`;

/** The alerts each rule gives at ALERTS_AS_OF, unscoped (type → subject ids), with the boundary cases named in the fixture. */
export const ALERTS_AT_AS_OF: Record<string, string[]> = {
  OVERDUE: ['iO1', 'iO2', 'iP1'],
  DUE_SOON: ['iD1', 'iD2'],
  DENIED_NOT_REDONE: ['iR1', 'iR5'],
  SILENT_PAIRING: ['pS1', 'pS4', 'pS6', 'pS7'],
  BEHIND_PACE: ['cB2', 'cB4', 'cX'],
  VETO_RISK: ['cV2'],
  REPEAT_APPEALS: ['hA1'],
};

const stay = (id: string, cadreId: string, days: number, at: number, regionId = 'v1'): Rec =>
  buildVisit({ id, cadreId, regionId, kind: 'VILLAGE_STAY', stayDays: days, visitedAt: iso(at) });
const scores = (cadreId: string, list: number[], at = T - 30 * DAY) =>
  list.map((score, i) => buildSurveyResponse({ id: `s-${cadreId}-${i}`, cadreId, regionId: 'v1', score, respondedAt: iso(at + i * HOUR) }));

/**
 * A county for the worklists, evaluated at ALERTS_AS_OF (T) unless said otherwise. 东镇 t1 ⊃ 东村 v1,
 * 西镇 t2 ⊃ 西村 v2; rules with the boundary instant on both sides:
 *
 * - OVERDUE / DUE_SOON (24 h): iO1 due T − 1 ms (overdue); iD1 due exactly T (due soon, not
 *   overdue); iD2 due T + 24 h − 1 ms (due soon); iN1 due T + 24 h (neither); iC1 overdue but
 *   resolved before T; iP1 due T − 1 h, resolved at T + 1 h (overdue at T, closed at T + 2 h);
 *   iF1 received at T + 1 h, due T + 2 h (does not exist at T); iO2 overdue in 西镇.
 * - DENIED_NOT_REDONE (72 h): iR1's NO exactly T − 72 h (counts); iR2's NO at T − 72 h + 1 ms
 *   (too recent); iR3 denied then reopened (redone); iR4 NO then YES; iR5 denied, reopened only
 *   at T + 1 h (counts at T, not at T + 2 h).
 * - SILENT_PAIRING (90 days, local date 2025-06-15 → started by 2025-03-17): pS1 started exactly
 *   2025-03-17, never visited; pS2 started 2025-03-18 (too young); pS3 visited exactly at
 *   T − 90 × 24 h (not silent); pS4 last visited 1 ms before that; pS5 ended 2025-06-14; pS6 visited
 *   1 February and again at T + 1 h (silent at T only); pS7 visited in the window by another cadre
 *   only (silent).
 * - BEHIND_PACE (166 of 365 days: STAFF line floor(60 × 166 / 365 × 0.9) = 24, LEADER 12): cB1
 *   STAFF 24 days (at the line: not behind); cB2 STAFF 23; cB3 LEADER 12; cB4 STAFF with its 24
 *   days at T + 1 h (behind at T only); cX STAFF in 西镇 with none. Every other cadre has 30 days
 *   (or 60) and is not behind.
 * - VETO_RISK (MIN_RESPONSES 5, VETO_LINE 0.6): cV1 3/5 = 0.6 (at the line: no); cV2 2/5; cV3
 *   4 responses all 1 (suppressed: no); cV4 four 1s, its fifth at T + 1 h (veto at T + 2 h only).
 * - REPEAT_APPEALS (3 in 90 × 24 h): hA1's first issue exactly at T − 90 × 24 h (counts, since);
 *   hA2's 1 ms before (2 left: no); hA3 has two, its third at T + 1 h (at T + 2 h only).
 */
export async function insertAlertsCounty(store: TestStore): Promise<void> {
  const issue = (id: string, o: Partial<Rec> = {}) => buildIssue({ id, regionId: 'v1', receivedAt: iso(T - 20 * DAY), ...o });
  const resolvedBy = (issueId: string, at: number, n = 0) => buildIssueEvent({ id: `e-${issueId}-${n}`, issueId, type: 'RESOLVED', at: iso(at) });
  const answer = (issueId: string, resolved: string, at: number, n = 0) =>
    buildSurveyResponse({ id: `s-${issueId}-${n}`, issueId, regionId: 'v1', resolved, score: resolved === 'YES' ? 5 : 1, respondedAt: iso(at) });
  const pairing = (id: string, householdId: string, startedOn: string, o: Partial<Rec> = {}) => buildPairing({ id, cadreId: 'cP', householdId, startedOn, ...o });
  const homeVisit = (id: string, householdId: string, at: number, cadreId = 'cP') => buildVisit({ id, cadreId, regionId: 'v1', householdId, visitedAt: iso(at) });
  await insertFixtures(store.ds, {
    regions: [
      buildRegion({ id: 'cty', level: 'COUNTY', name: '测试县' }),
      buildRegion({ id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '东镇' }),
      buildRegion({ id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '西镇' }),
      buildRegion({ id: 'v1', parentId: 't1', level: 'VILLAGE', name: '东村' }),
      buildRegion({ id: 'v2', parentId: 't2', level: 'VILLAGE', name: '西村' }),
    ],
    departments: [buildDepartment({ id: 'd1', name: '民政局' })],
    cadres: [
      buildCadre({ id: 'cP', regionId: 'v1' }),
      buildCadre({ id: 'cQ', regionId: 'v1' }),
      buildCadre({ id: 'cB1', regionId: 'v1' }),
      buildCadre({ id: 'cB2', regionId: 'v1' }),
      buildCadre({ id: 'cB3', regionId: 't1', rank: 'LEADER' }),
      buildCadre({ id: 'cB4', regionId: 'v1' }),
      buildCadre({ id: 'cV1', regionId: 'v1' }),
      buildCadre({ id: 'cV2', regionId: 'v1' }),
      buildCadre({ id: 'cV3', regionId: 'v1' }),
      buildCadre({ id: 'cV4', regionId: 'v1' }),
      buildCadre({ id: 'cX', regionId: 'v2', name: '西干部' }),
    ],
    households: [
      ...['hP1', 'hP2', 'hP3', 'hP4', 'hP5', 'hP6', 'hP7', 'hA2', 'hA3'].map((id) => buildHousehold({ id, regionId: 'v1' })),
      buildHousehold({ id: 'hA1', regionId: 'v1', headName: '张三', phone: '13812345678' }),
    ],
    pairings: [
      pairing('pS1', 'hP1', '2025-03-17'),
      pairing('pS2', 'hP2', '2025-03-18'),
      pairing('pS3', 'hP3', '2025-01-01'),
      pairing('pS4', 'hP4', '2025-01-01'),
      pairing('pS5', 'hP5', '2025-01-01', { endedOn: '2025-06-14' }),
      pairing('pS6', 'hP6', '2025-01-01'),
      pairing('pS7', 'hP7', '2025-01-01'),
    ],
    visits: [
      homeVisit('vP3', 'hP3', T - 90 * DAY),
      homeVisit('vP4', 'hP4', T - 90 * DAY - 1),
      homeVisit('vP6a', 'hP6', Date.parse(local('2025-02-01T10:00:00'))),
      homeVisit('vP6b', 'hP6', T + HOUR),
      homeVisit('vP7', 'hP7', T - DAY, 'cQ'),
      stay('vB1', 'cB1', 24, T - 60 * DAY),
      stay('vB2', 'cB2', 23, T - 60 * DAY),
      stay('vB3', 'cB3', 12, T - 60 * DAY),
      stay('vB4', 'cB4', 24, T + HOUR),
      ...['cP', 'cQ', 'cV1', 'cV2', 'cV3', 'cV4'].map((c) => stay(`vS-${c}`, c, 30, T - 100 * DAY)),
      // Stays of the last year do not count this year.
      stay('vB2-old', 'cB2', 60, Date.parse(local('2024-12-31T23:59:00'))),
    ],
    issues: [
      issue('iO1', { dueAt: iso(T - 1) }),
      issue('iD1', { dueAt: iso(T) }),
      issue('iD2', { dueAt: iso(T + 24 * HOUR - 1) }),
      issue('iN1', { dueAt: iso(T + 24 * HOUR) }),
      issue('iC1', { dueAt: iso(T - DAY) }),
      issue('iP1', { dueAt: iso(T - HOUR) }),
      issue('iF1', { receivedAt: iso(T + HOUR), dueAt: iso(T + 2 * HOUR) }),
      issue('iO2', { regionId: 'v2', dueAt: iso(T - 2 * DAY) }),
      ...['iR1', 'iR2', 'iR3', 'iR4', 'iR5'].map((id) => issue(id)),
      // Repeat appeals: the households' issues (no dueAt: no deadline alert).
      issue('iA1a', { householdId: 'hA1', receivedAt: iso(T - 90 * DAY) }),
      issue('iA1b', { householdId: 'hA1', receivedAt: iso(T - 10 * DAY), regionId: 'v2' }),
      issue('iA1c', { householdId: 'hA1', receivedAt: iso(T - DAY) }),
      issue('iA2a', { householdId: 'hA2', receivedAt: iso(T - 90 * DAY - 1) }),
      issue('iA2b', { householdId: 'hA2', receivedAt: iso(T - 10 * DAY) }),
      issue('iA2c', { householdId: 'hA2', receivedAt: iso(T - DAY) }),
      issue('iA3a', { householdId: 'hA3', receivedAt: iso(T - 10 * DAY) }),
      issue('iA3b', { householdId: 'hA3', receivedAt: iso(T - DAY) }),
      issue('iA3c', { householdId: 'hA3', receivedAt: iso(T + HOUR) }),
    ],
    issue_events: [
      buildIssueEvent({ id: 'e-iP1-a', issueId: 'iP1', type: 'ASSIGNED', departmentId: 'd1', at: iso(T - 10 * DAY) }),
      resolvedBy('iC1', T - 2 * DAY),
      resolvedBy('iP1', T + HOUR),
      ...['iR1', 'iR2', 'iR3', 'iR4', 'iR5'].map((id) => resolvedBy(id, T - 5 * DAY)),
      buildIssueEvent({ id: 'e-iR3-reopen', issueId: 'iR3', type: 'REOPENED', at: iso(T - DAY) }),
      buildIssueEvent({ id: 'e-iR5-reopen', issueId: 'iR5', type: 'REOPENED', at: iso(T + HOUR) }),
    ],
    survey_responses: [
      answer('iR1', 'NO', T - 72 * HOUR),
      answer('iR2', 'NO', T - 72 * HOUR + 1),
      answer('iR3', 'NO', T - 4 * DAY),
      answer('iR4', 'NO', T - 4 * DAY),
      answer('iR4', 'YES', T - 3.5 * DAY, 1),
      answer('iR5', 'NO', T - 4 * DAY),
      ...scores('cV1', [5, 4, 4, 3, 2]),
      ...scores('cV2', [5, 4, 3, 2, 1]),
      ...scores('cV3', [1, 1, 1, 1]),
      ...scores('cV4', [1, 1, 1, 1]),
      buildSurveyResponse({ id: 's-cV4-late', cadreId: 'cV4', regionId: 'v1', score: 1, respondedAt: iso(T + HOUR) }),
    ],
  });
}
