import { Measure } from '../../../src/analytics/analytics.enums';
import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { UNSCOPED } from '../../../src/domain/access';
import { buildCadre, buildHousehold, buildIssue, buildPairing, buildRegion, buildSurveyResponse, buildVisit, insertFixtures } from '../../factories';
import { createServices } from '../../../src/services';
import { describeStores } from '../../helpers/stores';

/*
 * CONTACTED_RATE, REPEAT_RATE, VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE and the householdTags
 * filter (metrics.md), hand-computed on a small county: C ⊃ T1 ⊃ V1, C ⊃ T2 ⊃ V2.
 */

const sh = (s: string) => `${s}+08:00`;
const DAY = 86_400_000;
const R0 = Date.parse(sh('2025-03-01T10:00:00'));
const at = (days: number, ms = 0) => new Date(R0 + days * DAY + ms).toISOString();
const ASOF = new Date('2026-01-01T00:00:00Z');

describeStores('the worklist measures', (store) => {
  let sut: MetricsService;
  const value = async (q: Partial<MetricsQueryArgs>) => {
    const r = await sut.compute({ from: '2025-01-01', to: '2025-12-31', asOf: ASOF, ...q } as MetricsQueryArgs, UNSCOPED);
    return r.rows.map((row) => [row.period, row.regionId, ...row.values.map((v) => [v.numerator, v.denominator, v.value])]);
  };
  const refusal = (q: Partial<MetricsQueryArgs>) =>
    sut.compute({ from: '2025-01-01', to: '2025-12-31', asOf: ASOF, ...q } as MetricsQueryArgs, UNSCOPED).then(
      () => 'OK',
      (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
    );

  beforeAll(async () => {
    sut = new MetricsService(store().ds, store().config);
    await insertFixtures(store().ds, {
      regions: [
        buildRegion({ id: 'C', level: 'COUNTY' }),
        buildRegion({ id: 'T1', parentId: 'C', level: 'TOWNSHIP' }),
        buildRegion({ id: 'T2', parentId: 'C', level: 'TOWNSHIP' }),
        buildRegion({ id: 'V1', parentId: 'T1', level: 'VILLAGE' }),
        buildRegion({ id: 'V2', parentId: 'T2', level: 'VILLAGE' }),
      ],
      cadres: [buildCadre({ id: 'K1', regionId: 'T1' }), buildCadre({ id: 'K2', regionId: 'T2' })],
      households: [
        buildHousehold({ id: 'H1', regionId: 'V1', tags: ['EXTREME_HARDSHIP', 'ELDERLY_ALONE'] }),
        buildHousehold({ id: 'H2', regionId: 'V1', tags: ['EXTREME_HARDSHIP'] }),
        buildHousehold({ id: 'H3', regionId: 'V1', tags: [] }), // never visited, never paired
        buildHousehold({ id: 'H4', regionId: 'V2', tags: ['LOW_INCOME', 'EXTREME_HARDSHIP'] }),
      ],
      pairings: [
        buildPairing({ id: 'P1', cadreId: 'K1', householdId: 'H1', startedOn: '2025-01-01', endedOn: null }),
        buildPairing({ id: 'P2', cadreId: 'K1', householdId: 'H2', startedOn: '2025-01-01', endedOn: '2025-02-28' }), // ended before March's last day
        buildPairing({ id: 'P3', cadreId: 'K2', householdId: 'H4', startedOn: '2025-03-31', endedOn: null }), // starts on March's last day
        buildPairing({ id: 'P4', cadreId: 'K2', householdId: 'H4', startedOn: '2025-02-01', endedOn: null }), // a second pairing: H4 counts once
      ],
      visits: [
        buildVisit({ id: 'v1', cadreId: 'K1', regionId: 'V1', householdId: 'H1', visitedAt: sh('2025-01-10T09:00:00') }),
        buildVisit({ id: 'v2', cadreId: 'K1', regionId: 'V1', householdId: 'H1', visitedAt: sh('2025-03-10T09:00:00') }),
        buildVisit({ id: 'v3', cadreId: 'K2', regionId: 'V2', householdId: 'H2', visitedAt: sh('2025-03-31T23:59:59') }), // H2 lives in V1: placed there
        buildVisit({ id: 'v4', cadreId: 'K2', regionId: 'V2', householdId: 'H4', visitedAt: sh('2025-04-01T00:00:00') }),
        buildVisit({ id: 'v5', cadreId: 'K2', regionId: 'V2', householdId: null, visitedAt: sh('2025-03-15T09:00:00') }),
      ],
      issues: [
        // Household H1, DISPUTE: i1; i2 exactly 30 × 24 h later (a repeat); i3 30 days and 1 ms after i2 (not).
        buildIssue({ id: 'i1', regionId: 'V1', householdId: 'H1', category: 'DISPUTE', receivedAt: at(0) }),
        buildIssue({ id: 'i2', regionId: 'V2', householdId: 'H1', category: 'DISPUTE', receivedAt: at(30) }),
        buildIssue({ id: 'i3', regionId: 'V1', householdId: 'H1', category: 'DISPUTE', receivedAt: at(60, 1) }),
        // Same instant, same household and category: the smaller id is the earlier, the larger a repeat.
        buildIssue({ id: 'i5', regionId: 'V1', householdId: 'H2', category: 'INCOME', receivedAt: at(5) }),
        buildIssue({ id: 'i4', regionId: 'V1', householdId: 'H2', category: 'INCOME', receivedAt: at(5) }),
        // Another category: not a repeat of i1; no household: not in the denominator.
        buildIssue({ id: 'i6', regionId: 'V1', householdId: 'H1', category: 'EMPLOYMENT', receivedAt: at(1) }),
        buildIssue({ id: 'i7', regionId: 'V2', householdId: null, category: 'DISPUTE', receivedAt: at(2) }),
      ],
      survey_responses: [
        // i1: latest response with contacted set says false (a later one leaves it unset).
        buildSurveyResponse({ id: 's1', regionId: 'V1', issueId: 'i1', respondedAt: at(3), contacted: true }),
        buildSurveyResponse({ id: 's2', regionId: 'V1', issueId: 'i1', respondedAt: at(4), contacted: false }),
        buildSurveyResponse({ id: 's3', regionId: 'V1', issueId: 'i1', respondedAt: at(5), contacted: null }),
        // i2: contacted; i4: contacted, answered after asOf of the past query.
        buildSurveyResponse({ id: 's4', regionId: 'V2', issueId: 'i2', respondedAt: at(33), contacted: true }),
        buildSurveyResponse({ id: 's5', regionId: 'V1', issueId: 'i4', respondedAt: at(40), contacted: true }),
      ],
    });
  });

  it('CONTACTED_RATE: the latest response that answers it, as of asOf', async () => {
    // i1 false, i2 true, i4 true: 2 / 3.
    expect(await value({ measures: ['CONTACTED_RATE'] })).toEqual([[null, null, [2, 3, 2 / 3]]]);
    // As of day 35: s5 does not exist yet: i1 false, i2 true → 1 / 2.
    expect(await value({ measures: ['CONTACTED_RATE'], asOf: new Date(R0 + 35 * DAY) })).toEqual([[null, null, [1, 2, 0.5]]]);
    // By township: i1, i4 in V1 (T1) → 1/2; i2 in V2 (T2) → 1/1.
    expect(await value({ measures: ['CONTACTED_RATE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).toEqual([
      [null, 'T1', [1, 2, 0.5]],
      [null, 'T2', [1, 1, 1]],
    ]);
  });

  it('REPEAT_RATE: exactly 30 × 24 h is inside the window, 1 ms more is not; equal instants go by id; whatever the region', async () => {
    // Issues with a household: i1..i6 (6); repeats: i2 (30 days after i1, in another township) and i5 (same instant as i4, larger id).
    expect(await value({ measures: ['REPEAT_RATE'] })).toEqual([[null, null, [2, 6, 2 / 6]]]);
    expect(await value({ measures: ['REPEAT_RATE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).toEqual([
      [null, 'T1', [1, 5, 0.2]],
      [null, 'T2', [1, 1, 1]],
    ]);
  });

  it('VISIT_COVERAGE: households placed by their own region, one never visited, the bucket decides', async () => {
    // March: H1 (v2) and H2 (v3, 23:59:59 local) of 4 households; April: H4 (v4 at local midnight).
    expect(await value({ measures: ['VISIT_COVERAGE'], dimensions: ['PERIOD'], granularity: 'MONTH', from: '2025-03-01', to: '2025-04-30' })).toEqual([
      ['2025-03-01', null, [2, 4, 0.5]],
      ['2025-04-01', null, [1, 4, 0.25]],
    ]);
    expect(await value({ measures: ['VISIT_COVERAGE'], dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2025-03-01', to: '2025-03-31' })).toEqual([
      [null, 'V1', [2, 3, 2 / 3]],
      [null, 'V2', [0, 1, 0]],
    ]);
  });

  it('PAIRED_HOUSEHOLD_RATE: households with a pairing active on the bucket’s last day (inclusive dates), counted once', async () => {
    // Jan 31: H1, H2, H4? (P4 starts Feb 1: no) → 2 of 4. Feb 28: H1, H2 (ends that day), H4 (P4) → 3. Mar 31: H1, H4 (P3 and P4) → 2.
    expect(await value({ measures: ['PAIRED_HOUSEHOLD_RATE'], dimensions: ['PERIOD'], granularity: 'MONTH', from: '2025-01-01', to: '2025-03-31' })).toEqual([
      ['2025-01-01', null, [2, 4, 0.5]],
      ['2025-02-01', null, [3, 4, 0.75]],
      ['2025-03-01', null, [2, 4, 0.5]],
    ]);
  });

  it('householdTags: households carrying every listed tag, for the household measures only', async () => {
    const hardship = { householdTags: ['EXTREME_HARDSHIP'] } as Partial<MetricsQueryArgs>;
    // 特困: H1, H2, H4. Visited in March: H1, H2 → 2/3. Paired on Mar 31: H1, H4 → 2/3.
    expect(await value({ measures: ['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE'], from: '2025-03-01', to: '2025-03-31', ...hardship })).toEqual([[null, null, [2, 3, 2 / 3], [2, 3, 2 / 3]]]);
    // 特困 and 独居老人: H1 only; HOUSEHOLDS_VISITED of the year: 1; PAIRED_COVERAGE of March: P1 visited (v2) → 1/1.
    const both = { householdTags: ['EXTREME_HARDSHIP', 'ELDERLY_ALONE'] } as Partial<MetricsQueryArgs>;
    expect(await value({ measures: ['HOUSEHOLDS_VISITED'], ...both })).toEqual([[null, null, [null, null, 1]]]);
    expect(await value({ measures: ['PAIRED_COVERAGE'], from: '2025-03-01', to: '2025-03-31', ...both })).toEqual([[null, null, [1, 1, 1]]]);
    expect(await refusal({ measures: ['VISITS'] as Measure[], ...hardship })).toBe(
      'BAD_USER_INPUT: filter householdTags does not apply to measure VISITS (it applies to VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE, HOUSEHOLDS_VISITED, PAIRED_COVERAGE)',
    );
    expect(await refusal({ measures: ['VISIT_COVERAGE'], householdTags: ['RICH'] as never })).toBe('BAD_USER_INPUT: householdTags: unknown value "RICH"');
    expect(await refusal({ measures: ['VISIT_COVERAGE'], dimensions: ['CADRE'] })).toMatch(/^BAD_USER_INPUT: dimension CADRE does not apply to measure VISIT_COVERAGE/);
  });
});

/*
 * REPEAT_RATE's and CONTACTED_RATE's ties, the repeat window, and which values the privacy threshold hides, on their own
 * county (C ⊃ T1 ⊃ V1, C ⊃ T2 ⊃ V2). Equal receivedAt: the smaller id (binary order on both
 * stores, ids are utf8mb4_bin on MariaDB) is the earlier, the other the repeat — each pair is
 * split across the townships so the by-township rows show which of the two counted.
 */
describeStores('REPEAT_RATE and CONTACTED_RATE ties, the repeat window, suppression', (store) => {
  const T = Date.parse(sh('2025-05-01T08:00:00'));
  const at2 = (days: number, ms = 0) => new Date(T + days * DAY + ms).toISOString();
  let sut: MetricsService;
  const rows = async (s: MetricsService, measures: Measure[], extra: Partial<MetricsQueryArgs> = {}) => {
    const r = await s.compute({ measures, dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2025-01-01', to: '2025-12-31', asOf: ASOF, ...extra } as MetricsQueryArgs, UNSCOPED);
    return r.rows.map((row) => [row.regionId, ...row.values.map((v) => [v.numerator, v.denominator, v.value, v.suppressed])]);
  };

  beforeAll(async () => {
    sut = new MetricsService(store().ds, store().config);
    await insertFixtures(store().ds, {
      regions: [
        buildRegion({ id: 'C', level: 'COUNTY' }),
        buildRegion({ id: 'T1', parentId: 'C', level: 'TOWNSHIP' }),
        buildRegion({ id: 'T2', parentId: 'C', level: 'TOWNSHIP' }),
        buildRegion({ id: 'V1', parentId: 'T1', level: 'VILLAGE' }),
        buildRegion({ id: 'V2', parentId: 'T2', level: 'VILLAGE' }),
      ],
      households: ['HA', 'HB', 'HC'].map((id) => buildHousehold({ id, regionId: 'V1' })),
      issues: [
        // HA at one instant: 'iZ' < 'ia' in binary order (not in a case-insensitive one) → ia (T2) is the repeat.
        buildIssue({ id: 'ia', regionId: 'V2', householdId: 'HA', category: 'DISPUTE', receivedAt: at2(0) }),
        buildIssue({ id: 'iZ', regionId: 'V1', householdId: 'HA', category: 'DISPUTE', receivedAt: at2(0) }),
        // HB at one instant: 'i10' < 'i9' (strings, not numbers) → i9 (T1) is the repeat.
        buildIssue({ id: 'i10', regionId: 'V2', householdId: 'HB', category: 'INCOME', receivedAt: at2(1) }),
        buildIssue({ id: 'i9', regionId: 'V1', householdId: 'HB', category: 'INCOME', receivedAt: at2(1) }),
        // HC, T1: k2 exactly 7 × 24 h after k1; k3 7 × 24 h and 1 ms after k2 (both within 30 days of the one before).
        buildIssue({ id: 'k1', regionId: 'V1', householdId: 'HC', category: 'HOUSING', receivedAt: at2(10) }),
        buildIssue({ id: 'k2', regionId: 'V1', householdId: 'HC', category: 'HOUSING', receivedAt: at2(17) }),
        buildIssue({ id: 'k3', regionId: 'V1', householdId: 'HC', category: 'HOUSING', receivedAt: at2(24, 1) }),
      ],
      survey_responses: [
        // One answered contact in T2 and one response: CONTACTED_RATE is an issue measure and is
        // shown; the satisfaction values of the same cell are suppressed (1 < MIN_RESPONSES 5).
        buildSurveyResponse({ id: 'r1', regionId: 'V2', issueId: 'ia', respondedAt: at2(2), contacted: true, score: 5 }),
        // Two answers at one instant: the larger id is the latest. iZ: c2 (false) after c1 (true); i9: c4 (true) after c3 (false).
        buildSurveyResponse({ id: 'c2', regionId: 'V1', issueId: 'iZ', respondedAt: at2(3), contacted: false }),
        buildSurveyResponse({ id: 'c1', regionId: 'V1', issueId: 'iZ', respondedAt: at2(3), contacted: true }),
        buildSurveyResponse({ id: 'c3', regionId: 'V1', issueId: 'i9', respondedAt: at2(3), contacted: false }),
        buildSurveyResponse({ id: 'c4', regionId: 'V1', issueId: 'i9', respondedAt: at2(3), contacted: true }),
      ],
    });
  });

  it('decides equal instants by id, in binary order, whichever is inserted first', async () => {
    // T1: iZ, i9, k1, k2, k3 → repeats i9, k2, k3 (default window 30 days); T2: ia, i10 → repeat ia.
    expect(await rows(sut, ['REPEAT_RATE'])).toEqual([
      ['T1', [3, 5, 0.6, false]],
      ['T2', [1, 2, 0.5, false]],
    ]);
    // The drill-through list (IssueFilter repeat: true) names the same four.
    const repeats = await createServices(store().config, store().ds).records.page('issues', UNSCOPED, { repeat: true, asOf: ASOF } as never, { first: 50, maxPageSize: 500 });
    expect(repeats.edges.map((e) => e.node.id).sort()).toEqual(['i9', 'ia', 'k2', 'k3']);
  });

  it('CONTACTED_RATE: of answers at one instant the larger id is the latest, both ways', async () => {
    // T1: iZ not contacted (c2), i9 contacted (c4) → 1 / 2; T2: ia contacted (r1) → 1 / 1.
    expect(await rows(sut, ['CONTACTED_RATE'])).toEqual([
      ['T1', [1, 2, 0.5, false]],
      ['T2', [1, 1, 1, false]],
    ]);
    const contacted = await createServices(store().config, store().ds).records.page('issues', UNSCOPED, { contacted: true, asOf: ASOF } as never, { first: 50, maxPageSize: 500 });
    expect(contacted.edges.map((e) => e.node.id).sort()).toEqual(['i9', 'ia']);
  });

  it('takes REPEAT_WINDOW_DAYS × 24 h from the configuration: exactly the window is in, 1 ms more is out', async () => {
    const week = new MetricsService(store().ds, { ...store().config, repeatWindowDays: 7 });
    // k2 is 7 × 24 h after k1: a repeat; k3 is 7 × 24 h + 1 ms after k2 (and 14 days after k1): not.
    expect(await rows(week, ['REPEAT_RATE'])).toEqual([
      ['T1', [2, 5, 0.4, false]],
      ['T2', [1, 2, 0.5, false]],
    ]);
  });

  it('suppresses satisfaction below MIN_RESPONSES but not CONTACTED_RATE or REPEAT_RATE', async () => {
    expect(await rows(sut, ['SATISFIED_RATE', 'CONTACTED_RATE', 'REPEAT_RATE'], { regionId: 'T2' })).toEqual([
      ['T2', [null, null, null, true], [1, 1, 1, false], [1, 2, 0.5, false]],
    ]);
  });
});

/* PAIRED_HOUSEHOLD_RATE with several pairings per household: one inside another, one after the other, a gap. */
describeStores('PAIRED_HOUSEHOLD_RATE over several pairings of a household', (store) => {
  it('counts a household while any of its pairings is active, on each bucket’s last day', async () => {
    const sut = new MetricsService(store().ds, store().config);
    await insertFixtures(store().ds, {
      regions: [buildRegion({ id: 'C', level: 'COUNTY' }), buildRegion({ id: 'V', parentId: 'C', level: 'VILLAGE' })],
      cadres: [buildCadre({ id: 'K1', regionId: 'C' }), buildCadre({ id: 'K2', regionId: 'C' })],
      households: ['A', 'B', 'G', 'N'].map((id) => buildHousehold({ id, regionId: 'V' })),
      pairings: [
        // A: Jan 1 – Mar 31 with Feb 1 – Feb 10 inside it: paired on Jan 31, Feb 28, Mar 31; not Apr 30.
        buildPairing({ id: 'a1', cadreId: 'K1', householdId: 'A', startedOn: '2025-01-01', endedOn: '2025-03-31' }),
        buildPairing({ id: 'a2', cadreId: 'K2', householdId: 'A', startedOn: '2025-02-01', endedOn: '2025-02-10' }),
        // B: Jan 1 – Jan 31, then Feb 1 – open: paired on every last day.
        buildPairing({ id: 'b1', cadreId: 'K1', householdId: 'B', startedOn: '2025-01-01', endedOn: '2025-01-31' }),
        buildPairing({ id: 'b2', cadreId: 'K2', householdId: 'B', startedOn: '2025-02-01', endedOn: null }),
        // G: Jan 1 – Jan 15 and Feb 10 – Feb 20, Apr 30 – open: paired on Apr 30 only.
        buildPairing({ id: 'g1', cadreId: 'K1', householdId: 'G', startedOn: '2025-01-01', endedOn: '2025-01-15' }),
        buildPairing({ id: 'g2', cadreId: 'K1', householdId: 'G', startedOn: '2025-02-10', endedOn: '2025-02-20' }),
        buildPairing({ id: 'g3', cadreId: 'K1', householdId: 'G', startedOn: '2025-04-30', endedOn: null }),
      ],
    });
    const r = await sut.compute({ measures: ['PAIRED_HOUSEHOLD_RATE'], dimensions: ['PERIOD'], granularity: 'MONTH', from: '2025-01-01', to: '2025-04-30', asOf: ASOF } as MetricsQueryArgs, UNSCOPED);
    expect(r.rows.map((row) => [row.period, row.values[0].numerator, row.values[0].denominator])).toEqual([
      ['2025-01-01', 2, 4],
      ['2025-02-01', 2, 4],
      ['2025-03-01', 2, 4],
      ['2025-04-01', 2, 4],
    ]);
    // One bucket: Feb 15 – Mar 15 ends on Mar 15 (A, B paired; G's second pairing ended Feb 20).
    const one = await sut.compute({ measures: ['PAIRED_HOUSEHOLD_RATE'], from: '2025-02-15', to: '2025-03-15', asOf: ASOF } as MetricsQueryArgs, UNSCOPED);
    expect(one.rows.map((row) => row.values[0].numerator)).toEqual([2]);
  });
});
