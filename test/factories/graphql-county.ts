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
} from '.';

/**
 * A small county for the GraphQL tests, with values chosen so every expectation can be
 * worked out by hand:
 *
 *   cty 测试县 ─┬─ t1 东镇 ─┬─ v1 东村 ─┬─ g1 一组   (h1 张三)
 *              │           │           └─ g2 二组   (h2 李四)
 *              │           └─ v2 南村 ─── g3 三组   (h3 王五)
 *              └─ t2 西镇 ─── v3 西村 ─── g4 四组   (h4 赵六)
 *
 * c4 is a county-level cadre who pairs with and visits h3 inside 东镇, so a 东镇 scope sees
 * the pairing and the visit but not the cadre.
 */
export async function insertCounty(ds: DataSource): Promise<void> {
  const at = (local: string) => `${local}+08:00`;
  await insertFixtures(ds, {
    regions: [
      buildRegion({ id: 'cty', level: 'COUNTY', name: '测试县', code: '330100000000' }),
      buildRegion({ id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '东镇' }),
      buildRegion({ id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '西镇' }),
      buildRegion({ id: 'v1', parentId: 't1', level: 'VILLAGE', name: '东村' }),
      buildRegion({ id: 'v2', parentId: 't1', level: 'VILLAGE', name: '南村' }),
      buildRegion({ id: 'v3', parentId: 't2', level: 'VILLAGE', name: '西村' }),
      buildRegion({ id: 'g1', parentId: 'v1', level: 'GROUP', name: '一组' }),
      buildRegion({ id: 'g2', parentId: 'v1', level: 'GROUP', name: '二组' }),
      buildRegion({ id: 'g3', parentId: 'v2', level: 'GROUP', name: '三组' }),
      buildRegion({ id: 'g4', parentId: 'v3', level: 'GROUP', name: '四组' }),
    ],
    departments: [
      buildDepartment({ id: 'd1', name: '民政局' }),
      buildDepartment({ id: 'd2', name: '人社局' }),
      buildDepartment({ id: 'd3', name: '住建局' }),
    ],
    cadres: [
      buildCadre({ id: 'c1', name: '李镇长', regionId: 't1', rank: 'LEADER', unit: '东镇政府', phone: '13800000001' }),
      buildCadre({ id: 'c2', name: '王干部', regionId: 'v1', rank: 'STAFF' }),
      buildCadre({ id: 'c3', name: '赵干部', regionId: 't2', rank: 'STAFF' }),
      buildCadre({ id: 'c4', name: '县干部', regionId: 'cty', rank: 'STAFF' }),
    ],
    households: [
      buildHousehold({ id: 'h1', regionId: 'g1', headName: '张三', members: 2, tags: ['LOW_INCOME', 'ELDERLY_ALONE'] }),
      buildHousehold({ id: 'h2', regionId: 'g2', headName: '李四', phone: null, tags: ['LOW_INCOME'] }),
      buildHousehold({ id: 'h3', regionId: 'g3', headName: '王五', tags: [] }),
      buildHousehold({ id: 'h4', regionId: 'g4', headName: '赵六', tags: ['ELDERLY_ALONE', 'DISABILITY'] }),
    ],
    pairings: [
      buildPairing({ id: 'p1', cadreId: 'c1', householdId: 'h1', startedOn: '2025-01-01', endedOn: null }),
      buildPairing({ id: 'p2', cadreId: 'c2', householdId: 'h1', startedOn: '2024-01-01', endedOn: '2024-12-31' }),
      buildPairing({ id: 'p3', cadreId: 'c1', householdId: 'h2', startedOn: '2025-02-01', endedOn: null }),
      buildPairing({ id: 'p4', cadreId: 'c3', householdId: 'h4', startedOn: '2025-03-01', endedOn: '2025-06-30' }),
      buildPairing({ id: 'p5', cadreId: 'c4', householdId: 'h3', startedOn: '2025-01-15', endedOn: null }),
    ],
    visits: [
      buildVisit({ id: 'vs1', cadreId: 'c1', regionId: 'g1', householdId: 'h1', visitedAt: at('2025-03-10T09:00:00'), kind: 'HOME_VISIT' }),
      buildVisit({ id: 'vs2', cadreId: 'c2', regionId: 'g2', householdId: 'h2', visitedAt: at('2025-03-10T09:00:00'), kind: 'HOME_VISIT' }),
      buildVisit({ id: 'vs3', cadreId: 'c1', regionId: 'v1', visitedAt: at('2025-03-12T14:00:00'), kind: 'VILLAGE_STAY', stayDays: 3, note: '驻村三天' }),
      buildVisit({ id: 'vs4', cadreId: 'c3', regionId: 'g4', householdId: 'h4', visitedAt: at('2025-02-01T10:00:00'), kind: 'HOLIDAY_GREETING' }),
      buildVisit({ id: 'vs5', cadreId: 'c4', regionId: 'g3', householdId: 'h3', visitedAt: at('2025-03-20T08:00:00'), kind: 'FORUM' }),
    ],
    issues: [
      buildIssue({ id: 'is1', regionId: 'g1', householdId: 'h1', visitId: 'vs1', channel: 'VISIT', category: 'SOCIAL_SECURITY', summary: '低保申请', receivedAt: at('2025-03-10T10:00:00'), dueAt: at('2025-03-17T10:00:00') }),
      buildIssue({ id: 'is2', regionId: 'g2', householdId: 'h2', channel: 'HOTLINE', category: 'HEALTHCARE', receivedAt: at('2025-03-12T08:00:00') }),
      buildIssue({ id: 'is3', regionId: 'g4', householdId: 'h4', channel: 'PETITION', category: 'LAND_RELOCATION', receivedAt: at('2025-03-12T08:00:00') }),
      buildIssue({ id: 'is4', regionId: 'v1', channel: 'ONLINE', category: 'INFRASTRUCTURE', receivedAt: at('2025-02-20T12:00:00') }),
      buildIssue({ id: 'is5', regionId: 'g3', householdId: 'h3', visitId: 'vs5', channel: 'VISIT', category: 'INCOME', receivedAt: at('2025-03-20T09:00:00') }),
    ],
    issue_events: [
      // Listed out of order on purpose: the API orders by (at, id).
      buildIssueEvent({ id: 'e4', issueId: 'is1', at: at('2025-03-13T10:00:00'), type: 'RESOLVED' }),
      buildIssueEvent({ id: 'e1', issueId: 'is1', at: at('2025-03-10T11:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
      buildIssueEvent({ id: 'e3', issueId: 'is1', at: at('2025-03-11T15:00:00'), type: 'RESPONDED' }),
      buildIssueEvent({ id: 'e2', issueId: 'is1', at: at('2025-03-11T09:00:00'), type: 'TRANSFERRED', departmentId: 'd2', note: '转人社局' }),
      buildIssueEvent({ id: 'e5', issueId: 'is2', at: at('2025-03-12T09:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
      buildIssueEvent({ id: 'e6', issueId: 'is2', at: at('2025-03-13T09:00:00'), type: 'RESOLVED' }),
      buildIssueEvent({ id: 'e7', issueId: 'is2', at: at('2025-03-14T09:00:00'), type: 'REOPENED' }),
      buildIssueEvent({ id: 'e8', issueId: 'is4', at: at('2025-02-21T09:00:00'), type: 'ASSIGNED', departmentId: 'd3' }),
      buildIssueEvent({ id: 'e9', issueId: 'is4', at: at('2025-02-25T09:00:00'), type: 'EXPLAINED' }),
    ],
    survey_responses: [
      buildSurveyResponse({ id: 's1', regionId: 'g1', issueId: 'is1', cadreId: 'c1', householdId: 'h1', respondedAt: at('2025-03-15T10:00:00'), channel: 'PHONE_CALLBACK', score: 5, resolved: 'YES', contacted: true }),
      buildSurveyResponse({ id: 's2', regionId: 'g2', issueId: 'is2', cadreId: 'c2', householdId: 'h2', respondedAt: at('2025-03-13T20:00:00'), channel: 'SMS', score: 2, resolved: 'NO', contacted: false, comment: '还没解决' }),
      buildSurveyResponse({ id: 's3', regionId: 'g4', cadreId: 'c3', householdId: 'h4', respondedAt: at('2025-02-01T12:00:00'), channel: 'IN_PERSON', score: 4, comment: '很好' }),
    ],
  });
}

/** The epoch-ms instant of a local (UTC+8) time, as the API returns it in ISO form. */
export const iso = (local: string) => new Date(`${local}+08:00`).toISOString();
