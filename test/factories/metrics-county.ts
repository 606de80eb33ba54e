import type { DataSource } from 'typeorm';
import { buildCadre, buildDepartment, buildHousehold, buildIssue, buildIssueEvent, buildPairing, buildRegion, buildSurveyResponse, buildVisit, insertFixtures } from '.';

const H = 3_600_000;
/** The base instant of the issue fixtures: 2025-03-10 08:00 in Shanghai. */
export const R = Date.parse('2025-03-10T08:00:00+08:00');
/** R plus `h` hours, as an ISO instant. */
export const at = (h: number) => new Date(R + h * H).toISOString();

/**
 * A small county with hand-countable facts (README.md of analytics lists the expected numbers):
 * C ⊃ T1 ⊃ {V1 ⊃ G1, V2}, C ⊃ T2 ⊃ V3. Satisfaction in V1/V2/G1/T1, issues in V3,
 * visits and pairings across V1/V3/T1, DST visits in V2 by K3.
 */
export async function insertMetricsCounty(ds: DataSource): Promise<void> {
  const sh = (s: string) => `${s}+08:00`;
  await insertFixtures(ds, {
    regions: [
      buildRegion({ id: 'C', level: 'COUNTY' }),
      buildRegion({ id: 'T1', parentId: 'C', level: 'TOWNSHIP' }),
      buildRegion({ id: 'T2', parentId: 'C', level: 'TOWNSHIP' }),
      buildRegion({ id: 'V1', parentId: 'T1', level: 'VILLAGE' }),
      buildRegion({ id: 'V2', parentId: 'T1', level: 'VILLAGE' }),
      buildRegion({ id: 'V3', parentId: 'T2', level: 'VILLAGE' }),
      buildRegion({ id: 'G1', parentId: 'V1', level: 'GROUP' }),
    ],
    departments: [buildDepartment({ id: 'D1' }), buildDepartment({ id: 'D2' })],
    cadres: [
      buildCadre({ id: 'K1', regionId: 'V1', rank: 'LEADER' }),
      buildCadre({ id: 'K2', regionId: 'V3' }),
      buildCadre({ id: 'K3', regionId: 'V2' }),
    ],
    households: [buildHousehold({ id: 'H1', regionId: 'V1' }), buildHousehold({ id: 'H2', regionId: 'G1' }), buildHousehold({ id: 'H3', regionId: 'V3' })],
    pairings: [
      buildPairing({ id: 'P1', cadreId: 'K1', householdId: 'H1', startedOn: '2025-01-01' }),
      buildPairing({ id: 'P2', cadreId: 'K1', householdId: 'H2', startedOn: '2025-01-01', endedOn: '2025-02-15' }),
      buildPairing({ id: 'P3', cadreId: 'K2', householdId: 'H3', startedOn: '2025-03-10' }),
      buildPairing({ id: 'P4', cadreId: 'K1', householdId: 'H3', startedOn: '2025-02-01', endedOn: '2025-03-20' }),
    ],
    visits: [
      buildVisit({ id: 'W1', cadreId: 'K1', regionId: 'V1', householdId: 'H1', visitedAt: sh('2025-01-25T10:00:00') }),
      buildVisit({ id: 'W2', cadreId: 'K1', regionId: 'V1', householdId: 'H1', visitedAt: sh('2025-03-05T10:00:00') }),
      buildVisit({ id: 'W3', cadreId: 'K1', regionId: 'V1', kind: 'VILLAGE_STAY', stayDays: 3, visitedAt: sh('2025-03-06T09:00:00') }),
      buildVisit({ id: 'W4', cadreId: 'K2', regionId: 'V3', householdId: 'H3', visitedAt: sh('2025-03-12T10:00:00') }),
      buildVisit({ id: 'W5', cadreId: 'K1', regionId: 'V3', householdId: 'H3', visitedAt: sh('2025-02-10T10:00:00') }),
      buildVisit({ id: 'W6', cadreId: 'K2', regionId: 'V3', kind: 'VILLAGE_STAY', visitedAt: sh('2025-02-05T23:30:00') }),
      buildVisit({ id: 'W7', cadreId: 'K1', regionId: 'T1', kind: 'FORUM', visitedAt: sh('2025-03-20T15:00:00') }),
      // Daylight saving in New York (K3, V2): 9 March 2025 has 23 hours, 2 November 2025 has 25.
      buildVisit({ id: 'N1', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-03-08T23:59:00-05:00' }),
      buildVisit({ id: 'N2', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-03-09T00:30:00-05:00' }),
      buildVisit({ id: 'N3', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-03-09T23:30:00-04:00' }),
      buildVisit({ id: 'N4', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-03-10T00:10:00-04:00' }),
      buildVisit({ id: 'N5', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-11-01T23:30:00-04:00' }),
      buildVisit({ id: 'N6', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-11-02T00:30:00-04:00' }),
      buildVisit({ id: 'N7', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-11-02T01:30:00-05:00' }),
      buildVisit({ id: 'N8', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-11-02T23:30:00-05:00' }),
      buildVisit({ id: 'N9', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-11-03T00:00:00-05:00' }),
      // 21 Jan in New York, 22 Jan (first day of the Spring Festival window) in Shanghai.
      buildVisit({ id: 'N10', cadreId: 'K3', regionId: 'V2', visitedAt: '2025-01-21T20:00:00-05:00' }),
    ],
    issues: [
      buildIssue({ id: 'I1', regionId: 'V3', channel: 'HOTLINE', category: 'HEALTHCARE', receivedAt: at(0), dueAt: at(72) }),
      buildIssue({ id: 'I2', regionId: 'V3', channel: 'VISIT', category: 'INCOME', receivedAt: at(0), dueAt: at(24) }),
      buildIssue({ id: 'I3', regionId: 'V3', channel: 'HOTLINE', category: 'INCOME', receivedAt: at(0) }),
      buildIssue({ id: 'I4', regionId: 'V3', channel: 'ONLINE', category: 'HEALTHCARE', receivedAt: at(0), dueAt: at(100) }),
      buildIssue({ id: 'I5', regionId: 'V3', channel: 'HOTLINE', category: 'HEALTHCARE', receivedAt: at(0) }),
      buildIssue({ id: 'I6', regionId: 'V3', channel: 'HOTLINE', category: 'OTHER', receivedAt: sh('2025-02-28T10:00:00') }),
      // Raised on visit W2 (V1, 5 March): VISIT_ISSUE_RATE.
      buildIssue({ id: 'I7', regionId: 'V1', channel: 'VISIT', category: 'OTHER', visitId: 'W2', receivedAt: sh('2025-03-05T11:00:00') }),
    ],
    issue_events: [
      // Listed out of order on purpose: state follows (at, id), never arrival.
      buildIssueEvent({ id: 'e13', issueId: 'I1', type: 'RESOLVED', at: at(10) }),
      buildIssueEvent({ id: 'e12', issueId: 'I1', type: 'RESPONDED', at: at(2) }),
      buildIssueEvent({ id: 'e11', issueId: 'I1', type: 'ASSIGNED', departmentId: 'D1', at: at(1) }),
      buildIssueEvent({ id: 'e23', issueId: 'I2', type: 'RESOLVED', at: at(48) }),
      buildIssueEvent({ id: 'e21', issueId: 'I2', type: 'ASSIGNED', departmentId: 'D1', at: at(1) }),
      buildIssueEvent({ id: 'e22', issueId: 'I2', type: 'TRANSFERRED', departmentId: 'D2', at: at(30) }),
      buildIssueEvent({ id: 'e31', issueId: 'I3', type: 'RESOLVED', at: at(5) }),
      buildIssueEvent({ id: 'e32', issueId: 'I3', type: 'REOPENED', at: at(6) }),
      buildIssueEvent({ id: 'e33', issueId: 'I3', type: 'RESPONDED', at: at(7) }),
      buildIssueEvent({ id: 'e51', issueId: 'I5', type: 'ASSIGNED', departmentId: 'D2', at: at(1) }),
      buildIssueEvent({ id: 'e52', issueId: 'I5', type: 'EXPLAINED', at: at(20) }),
      // I7 is still open: I6 and I7 count in BACKLOG.
    ],
    survey_responses: [
      // Satisfaction, March 2025: V1 has exactly MIN_RESPONSES (5, one of them in its group G1), V2 one fewer (4).
      buildSurveyResponse({ id: 'S1', regionId: 'V1', cadreId: 'K1', score: 5, respondedAt: sh('2025-03-02T10:00:00') }),
      buildSurveyResponse({ id: 'S2', regionId: 'V1', cadreId: 'K1', score: 4, respondedAt: sh('2025-03-03T10:00:00') }),
      buildSurveyResponse({ id: 'S3', regionId: 'V1', score: 3, respondedAt: sh('2025-03-04T10:00:00') }),
      buildSurveyResponse({ id: 'S4', regionId: 'V1', score: 2, respondedAt: sh('2025-03-05T10:00:00') }),
      buildSurveyResponse({ id: 'S5', regionId: 'G1', score: 1, respondedAt: sh('2025-03-06T10:00:00') }),
      buildSurveyResponse({ id: 'S6', regionId: 'V2', score: 5, respondedAt: sh('2025-03-07T10:00:00') }),
      buildSurveyResponse({ id: 'S7', regionId: 'V2', score: 5, respondedAt: sh('2025-03-08T10:00:00') }),
      buildSurveyResponse({ id: 'S8', regionId: 'V2', score: 4, respondedAt: sh('2025-03-09T10:00:00') }),
      buildSurveyResponse({ id: 'S9', regionId: 'V2', score: 1, respondedAt: sh('2025-03-10T10:00:00') }),
      buildSurveyResponse({ id: 'S10', regionId: 'T1', score: 5, respondedAt: sh('2025-03-11T10:00:00') }),
      // Just outside March in Shanghai time.
      buildSurveyResponse({ id: 'S11', regionId: 'V1', score: 5, respondedAt: sh('2025-02-28T23:59:00') }),
      buildSurveyResponse({ id: 'S12', regionId: 'V1', score: 5, respondedAt: sh('2025-04-01T00:00:00') }),
      // Issue callbacks (in V3): I1 confirmed, I2's closure denied (报喜不报忧), I5 partly.
      buildSurveyResponse({ id: 'S21', regionId: 'V3', issueId: 'I1', score: 5, resolved: 'YES', respondedAt: at(20) }),
      buildSurveyResponse({ id: 'S22', regionId: 'V3', issueId: 'I2', score: 2, resolved: 'NO', respondedAt: at(50) }),
      buildSurveyResponse({ id: 'S25', regionId: 'V3', issueId: 'I5', score: 4, resolved: 'PARTLY', respondedAt: at(30) }),
    ],
  });
}
