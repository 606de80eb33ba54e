import {
  buildCadre,
  buildHousehold,
  buildPairing,
  buildRegion,
  buildSurveyResponse,
  buildVisit,
  insertFixtures,
} from '.';
import type { TestStore } from '../helpers/stores';

/** Scorecard weights stay/pairing/coverage/satisfaction from the environment (defaults: MIN_RESPONSES 5, VETO_LINE 0.6). */
export const SCORECARD_ENV = { SCORECARD_WEIGHTS: '0.4,0.2,0.2,0.2' };

const at = (local: string) => `${local}+08:00`;
const scores = (cadreId: string, regionId: string, list: number[], day = '2025-05-10') =>
  list.map((score, i) => buildSurveyResponse({ cadreId, regionId, score, respondedAt: at(`${day}T1${i}:00:00`) }));

/**
 * A county for scorecards, year 2025 (Asia/Shanghai), weights stay/pairing/coverage/satisfaction
 * = 0.4/0.2/0.2/0.2 from the environment, MIN_RESPONSES 5, veto line 0.6:
 *
 *   cL LEADER t1: stays 20+10 = 30 days (quota 30 met); pairings h1,h2,h3 active on 31 Dec
 *      (pa4 ended 30 Dec); visited h1 on 1 Feb (春节 window) and h2 on 6 Oct (中秋 window), h3 only
 *      on 31 Dec 2024 → coverage 2/3; 4 visits, 2 at festivals; responses 5,4,4,3,2 → 3/5 = 0.6
 *      exactly at the line, not vetoed; composite 100·(0.4·1 + 0.2·1 + 0.2·2/3 + 0.2·0.6).
 *   cS STAFF v1: stay 59 days (quota 60 missed); pairing h4 visited → 1/1; visits 3 (one in t2);
 *      4 responses all 1 → suppressed, so no veto and the composite is reweighted over 0.8:
 *      100·(0.4·59/60 + 0.2·1 + 0.2·1)/0.8.
 *   cV STAFF v2: responses 5,5,3,2,1 → 0.4 < 0.6 → vetoed; composite 100·0.2·0.4 = 8.
 *   cX, cY STAFF v2: nothing → composite 0, tied.
 */
export async function insertScorecardCounty(store: TestStore) {
  await insertFixtures(store.ds, {
    regions: [
      buildRegion({ id: 'cty', level: 'COUNTY' }),
      buildRegion({ id: 't1', parentId: 'cty', level: 'TOWNSHIP' }),
      buildRegion({ id: 't2', parentId: 'cty', level: 'TOWNSHIP' }),
      buildRegion({ id: 'v1', parentId: 't1', level: 'VILLAGE' }),
      buildRegion({ id: 'v2', parentId: 't2', level: 'VILLAGE' }),
    ],
    cadres: [
      buildCadre({ id: 'cL', regionId: 't1', rank: 'LEADER' }),
      buildCadre({ id: 'cS', regionId: 'v1', rank: 'STAFF' }),
      buildCadre({ id: 'cV', regionId: 'v2', rank: 'STAFF' }),
      buildCadre({ id: 'cX', regionId: 'v2', rank: 'STAFF' }),
      buildCadre({ id: 'cY', regionId: 'v2', rank: 'STAFF' }),
    ],
    households: ['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => buildHousehold({ id, regionId: 'v1' })),
    pairings: [
      buildPairing({ id: 'pa1', cadreId: 'cL', householdId: 'h1', startedOn: '2025-01-01' }),
      buildPairing({ id: 'pa2', cadreId: 'cL', householdId: 'h2', startedOn: '2025-01-01' }),
      buildPairing({ id: 'pa3', cadreId: 'cL', householdId: 'h3', startedOn: '2024-06-01', endedOn: '2025-12-31' }),
      buildPairing({ id: 'pa4', cadreId: 'cL', householdId: 'h4', startedOn: '2025-01-01', endedOn: '2025-12-30' }),
      buildPairing({ id: 'ps1', cadreId: 'cS', householdId: 'h4', startedOn: '2025-06-01' }),
      buildPairing({ id: 'ps2', cadreId: 'cS', householdId: 'h5', startedOn: '2026-01-05' }),
    ],
    visits: [
      buildVisit({ id: 'vl1', cadreId: 'cL', regionId: 'v1', visitedAt: at('2025-03-01T09:00:00'), kind: 'VILLAGE_STAY', stayDays: 20 }),
      buildVisit({ id: 'vl2', cadreId: 'cL', regionId: 't1', visitedAt: at('2025-06-01T09:00:00'), kind: 'VILLAGE_STAY', stayDays: 10 }),
      buildVisit({ id: 'vl3', cadreId: 'cL', regionId: 'v1', householdId: 'h1', visitedAt: at('2025-02-01T10:00:00') }),
      buildVisit({ id: 'vl4', cadreId: 'cL', regionId: 'v1', householdId: 'h2', visitedAt: at('2025-10-06T10:00:00'), kind: 'HOLIDAY_GREETING' }),
      // Outside 2025 by one minute either side of local midnight.
      buildVisit({ id: 'vl5', cadreId: 'cL', regionId: 'v1', householdId: 'h3', visitedAt: at('2024-12-31T23:59:00') }),
      buildVisit({ id: 'vl6', cadreId: 'cL', regionId: 'v1', householdId: 'h3', visitedAt: at('2026-01-01T00:00:00') }),
      buildVisit({ id: 'vs1', cadreId: 'cS', regionId: 'v1', visitedAt: at('2025-04-01T09:00:00'), kind: 'VILLAGE_STAY', stayDays: 59 }),
      buildVisit({ id: 'vs2', cadreId: 'cS', regionId: 'v1', householdId: 'h4', visitedAt: at('2025-07-01T09:00:00') }),
      buildVisit({ id: 'vs3', cadreId: 'cS', regionId: 'v2', visitedAt: at('2025-05-01T09:00:00'), kind: 'FORUM' }),
    ],
    survey_responses: [
      ...scores('cL', 'v1', [5, 4, 4, 3, 2]),
      ...scores('cS', 'v1', [1, 1, 1, 1]),
      ...scores('cV', 'v2', [5, 5, 3, 2, 1]),
      // Outside the year: must not count.
      buildSurveyResponse({ cadreId: 'cL', regionId: 'v1', score: 1, respondedAt: at('2026-01-01T00:00:00') }),
    ],
  });
}
