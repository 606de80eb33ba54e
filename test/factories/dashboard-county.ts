import type { DataSource } from 'typeorm';
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

/** The dashboard tests' configuration: a small privacy threshold and one festival, 14–16 March 2025. */
export const DASHBOARD_ENV = {
  MIN_RESPONSES: '3',
  FESTIVAL_WINDOWS: JSON.stringify([{ name: 'TEST_FESTIVAL', daysBefore: 1, daysAfter: 1, dates: ['2025-03-15'] }]),
};

/** The range every dashboard test reads (31 days; previous period 29 Jan – 28 Feb) and its asOf. */
export const MARCH = { from: '2025-03-01', to: '2025-03-31', asOf: '2025-04-09T16:00:00.000Z' };

const at = (local: string) => `${local}+08:00`;
let n = 0;
const responses = (regionId: string, scoreList: number[], day: string, extra: Partial<Rec> = {}) =>
  scoreList.map((score) => buildSurveyResponse({ id: `sr${++n}`, regionId, score, respondedAt: at(`${day}T10:00:00`), ...extra }));

/**
 * A county of four townships, numbers chosen to be worked out by hand (Asia/Shanghai):
 *
 *   cty ─┬─ t1 ─ v1   responses 10 (9 satisfied), issues i1 i2 i5 (+ i6 from February)
 *        ├─ t2 ─ v2   responses 10 (8 satisfied), issues i3 i4 i7 i8
 *        ├─ t3 ─ v3   responses 2 (both satisfied: suppressed at MIN_RESPONSES 3)
 *        └─ t4 ─ v4   responses 20 (2 satisfied)
 *
 * Issues received in March, state as of 10 April 00:00 (+08:00):
 *   i1 SOCIAL_SECURITY t1 (household hh1): responded after 3 h, resolved 5 Mar, resident YES (score 5), contacted
 *   i2 SOCIAL_SECURITY t1 (hh1 again, a day later: a repeat appeal): first response = resolution after
 *      72 h, resident NO (score 1), not contacted: a false closure
 *   i3 HEALTHCARE t2: assigned to d2, responded after 23 h, still open
 *   i4 HEALTHCARE t2 (VISIT channel): no events, received 28 Mar 09:00
 *   i5 EMPLOYMENT t1: responded (resolved) after 23 h on 21 Mar, REOPENED 5 Apr — closed at the end
 *      of March, open at asOf
 *   i7, i8 OTHER t2: received 29 Mar 00:00 and 1 ms later (exactly 3 days and just under before 1 Apr)
 *   i6 (received 10 Feb, assigned to d1, never closed) is the previous period's only issue.
 * Visits in March: t1 5 (4 in the festival window, 0.8), t2 4 (3, 0.75), one county-level visit.
 * Pairings: ca1–hh1 visited in March, ca2–hh2 not (coverage 1/2); February: 0/2. Both pairings are
 * active on 28 Feb and 31 Mar (paired households 2/2); hh1 is the only household visited in March
 * (visit coverage 1/2; February's one visit names no household: 0/2).
 */
export async function insertDashboardCounty(ds: DataSource): Promise<void> {
  await insertFixtures(ds, {
    regions: [
      buildRegion({ id: 'cty', level: 'COUNTY', name: '测试县' }),
      ...[1, 2, 3, 4].map((i) => buildRegion({ id: `t${i}`, parentId: 'cty', level: 'TOWNSHIP', name: `镇${i}` })),
      ...[1, 2, 3, 4].map((i) => buildRegion({ id: `v${i}`, parentId: `t${i}`, level: 'VILLAGE', name: `村${i}` })),
    ],
    departments: [buildDepartment({ id: 'd1', name: '民政局' }), buildDepartment({ id: 'd2', name: '卫健局' })],
    cadres: [buildCadre({ id: 'ca1', regionId: 't1' }), buildCadre({ id: 'ca2', regionId: 't2' })],
    households: [buildHousehold({ id: 'hh1', regionId: 'v1' }), buildHousehold({ id: 'hh2', regionId: 'v2' })],
    pairings: [
      buildPairing({ id: 'pr1', cadreId: 'ca1', householdId: 'hh1', startedOn: '2025-01-01' }),
      buildPairing({ id: 'pr2', cadreId: 'ca2', householdId: 'hh2', startedOn: '2025-01-01' }),
    ],
    visits: [
      buildVisit({ id: 'w1', cadreId: 'ca1', regionId: 'v1', householdId: 'hh1', visitedAt: at('2025-03-14T00:00:00') }),
      buildVisit({ id: 'w2', cadreId: 'ca1', regionId: 'v1', visitedAt: at('2025-03-15T08:00:00') }),
      buildVisit({ id: 'w3', cadreId: 'ca1', regionId: 'v1', visitedAt: at('2025-03-15T12:00:00') }),
      buildVisit({ id: 'w4', cadreId: 'ca1', regionId: 'v1', visitedAt: at('2025-03-16T23:59:00') }),
      buildVisit({ id: 'w5', cadreId: 'ca1', regionId: 'v1', visitedAt: at('2025-03-17T00:00:00') }),
      buildVisit({ id: 'w6', cadreId: 'ca2', regionId: 'v2', visitedAt: at('2025-03-14T10:00:00') }),
      buildVisit({ id: 'w7', cadreId: 'ca2', regionId: 'v2', visitedAt: at('2025-03-15T10:00:00') }),
      buildVisit({ id: 'w8', cadreId: 'ca2', regionId: 'v2', visitedAt: at('2025-03-16T10:00:00') }),
      buildVisit({ id: 'w9', cadreId: 'ca2', regionId: 'v2', visitedAt: at('2025-03-20T10:00:00') }),
      buildVisit({ id: 'w10', cadreId: 'ca1', regionId: 'cty', visitedAt: at('2025-03-25T10:00:00') }),
      buildVisit({ id: 'w11', cadreId: 'ca1', regionId: 'v1', visitedAt: at('2025-02-12T10:00:00') }),
    ],
    issues: [
      buildIssue({ id: 'i1', regionId: 'v1', householdId: 'hh1', channel: 'HOTLINE', category: 'SOCIAL_SECURITY', receivedAt: at('2025-03-02T09:00:00') }),
      buildIssue({ id: 'i2', regionId: 'v1', householdId: 'hh1', channel: 'ONLINE', category: 'SOCIAL_SECURITY', receivedAt: at('2025-03-03T09:00:00') }),
      buildIssue({ id: 'i3', regionId: 'v2', channel: 'HOTLINE', category: 'HEALTHCARE', receivedAt: at('2025-03-10T09:00:00') }),
      buildIssue({ id: 'i4', regionId: 'v2', channel: 'VISIT', category: 'HEALTHCARE', receivedAt: at('2025-03-28T09:00:00') }),
      buildIssue({ id: 'i5', regionId: 'v1', channel: 'HOTLINE', category: 'EMPLOYMENT', receivedAt: at('2025-03-20T09:00:00') }),
      buildIssue({ id: 'i6', regionId: 'v1', channel: 'HOTLINE', category: 'SOCIAL_SECURITY', receivedAt: at('2025-02-10T09:00:00') }),
      buildIssue({ id: 'i7', regionId: 'v2', channel: 'WALK_IN', category: 'OTHER', receivedAt: at('2025-03-29T00:00:00') }),
      buildIssue({ id: 'i8', regionId: 'v2', channel: 'WALK_IN', category: 'OTHER', receivedAt: at('2025-03-29T00:00:00.001') }),
    ],
    issue_events: [
      // Listed out of order on purpose: state is derived by (at, id), never arrival order.
      buildIssueEvent({ id: 'e13', issueId: 'i1', at: at('2025-03-05T09:00:00'), type: 'RESOLVED' }),
      buildIssueEvent({ id: 'e11', issueId: 'i1', at: at('2025-03-02T10:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
      buildIssueEvent({ id: 'e12', issueId: 'i1', at: at('2025-03-02T12:00:00'), type: 'RESPONDED' }),
      buildIssueEvent({ id: 'e21', issueId: 'i2', at: at('2025-03-03T10:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
      buildIssueEvent({ id: 'e22', issueId: 'i2', at: at('2025-03-06T09:00:00'), type: 'RESOLVED' }),
      buildIssueEvent({ id: 'e31', issueId: 'i3', at: at('2025-03-10T10:00:00'), type: 'ASSIGNED', departmentId: 'd2' }),
      buildIssueEvent({ id: 'e32', issueId: 'i3', at: at('2025-03-11T08:00:00'), type: 'RESPONDED' }),
      buildIssueEvent({ id: 'e53', issueId: 'i5', at: at('2025-04-05T10:00:00'), type: 'REOPENED' }),
      buildIssueEvent({ id: 'e51', issueId: 'i5', at: at('2025-03-20T10:00:00'), type: 'ASSIGNED', departmentId: 'd2' }),
      buildIssueEvent({ id: 'e52', issueId: 'i5', at: at('2025-03-21T08:00:00'), type: 'RESOLVED' }),
      buildIssueEvent({ id: 'e61', issueId: 'i6', at: at('2025-02-10T10:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
    ],
    survey_responses: [
      ...responses('v1', [5], '2025-03-06', { issueId: 'i1', resolved: 'YES', contacted: true }),
      ...responses('v1', [1], '2025-03-07', { issueId: 'i2', resolved: 'NO', contacted: false }),
      ...responses('v1', [5, 5, 5, 5, 5, 5, 5, 5], '2025-03-12'),
      ...responses('v2', [5, 5, 5, 5, 5, 5, 5, 5, 3, 3], '2025-03-12'),
      ...responses('v3', [5, 5], '2025-03-12'),
      ...responses('v4', [5, 5, ...Array<number>(18).fill(1)], '2025-03-12'),
      ...responses('v1', [5, 5, 1], '2025-02-12'),
    ],
  });
}
