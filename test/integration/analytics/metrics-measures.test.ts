import type { Measure } from '../../../src/analytics/analytics.enums';
import { MetricsQueryArgs, MetricsService, MetricValueData } from '../../../src/analytics/metrics.service';
import { wilson } from '../../../src/analytics/wilson';
import { Scope, UNSCOPED } from '../../../src/domain/access';
import { describeStores } from '../../helpers/stores';
import { at, insertMetricsCounty } from '../../factories/metrics-county';

/** A rate's expected value: k/n, the counts, and its Wilson interval. */
const rate = (measure: Measure, k: number, n: number): MetricValueData => ({
  measure,
  value: n ? k / n : null,
  numerator: k,
  denominator: n,
  low: wilson(k, n)?.low ?? null,
  high: wilson(k, n)?.high ?? null,
  suppressed: false,
});
const count = (measure: Measure, value: number): MetricValueData => ({ measure, value, numerator: null, denominator: null, low: null, high: null, suppressed: false });
const hidden = (measure: Measure): MetricValueData => ({ measure, value: null, numerator: null, denominator: null, low: null, high: null, suppressed: true });
const hours = (measure: Measure, value: number | null, n: number): MetricValueData => ({ measure, value, numerator: null, denominator: n, low: null, high: null, suppressed: false });

const ASOF = new Date('2025-06-01T00:00:00Z');
const MARCH = { from: '2025-03-01', to: '2025-03-31', asOf: ASOF };
const SAT: Measure[] = ['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE'];

describeStores('MetricsService measures', (store) => {
  let sut: MetricsService;
  const compute = (q: Omit<MetricsQueryArgs, 'from' | 'to'> & Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => sut.compute({ ...MARCH, ...q }, scope);
  const brief = (rows: Array<{ period: string | null; regionId: string | null; cadreId: string | null; departmentId: string | null; category: string | null; channel: string | null }>) =>
    rows.map((r) => [r.period, r.regionId, r.cadreId, r.departmentId, r.category, r.channel]);

  beforeAll(async () => {
    await insertMetricsCounty(store().ds);
    sut = new MetricsService(store().ds, store().config);
  });

  describe('satisfaction', () => {
    it('shows values at exactly MIN_RESPONSES (V1: 5) and suppresses one fewer (V2: 4); facts above the level go to a null region', async () => {
      const r = await compute({ measures: SAT, dimensions: ['REGION'], regionLevel: 'VILLAGE' });
      expect(r.dataAsOf).toEqual(ASOF);
      expect(r.rows.map((x) => x.regionId)).toEqual(['V1', 'V2', 'V3', null]);
      const [v1, v2, v3, above] = r.rows.map((x) => x.values);
      // V1: scores 5,4,3,2 and 1 (recorded in its group G1).
      expect(v1).toEqual([count('RESPONSES', 5), { ...hidden('SATISFACTION_AVG'), suppressed: false, value: 3, numerator: 15, denominator: 5 }, rate('SATISFIED_RATE', 2, 5), rate('DISSATISFIED_RATE', 2, 5)]);
      expect(v2).toEqual([count('RESPONSES', 4), hidden('SATISFACTION_AVG'), hidden('SATISFIED_RATE'), hidden('DISSATISFIED_RATE')]);
      expect(v3).toEqual([count('RESPONSES', 3), hidden('SATISFACTION_AVG'), hidden('SATISFIED_RATE'), hidden('DISSATISFIED_RATE')]);
      expect(above[0]).toEqual(count('RESPONSES', 1));
    });

    it('keeps rates exact at the county level (13 responses in March, S11/S12 just outside)', async () => {
      const r = await compute({ measures: SAT });
      // 5,4,3,2,1 + 5,5,4,1 + 5 + (callbacks) 5,2,4 = 46 over 13; ≥4: 8; ≤2: 4.
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0].values).toEqual([count('RESPONSES', 13), { ...count('SATISFACTION_AVG', 46 / 13), numerator: 46, denominator: 13 }, rate('SATISFIED_RATE', 8, 13), rate('DISSATISFIED_RATE', 4, 13)]);
      expect(r.rows[0].values[2].low).toBeCloseTo(0.35523, 4); // Wilson 95 % for 8/13, checked by hand
      expect(r.rows[0].values[2].high).toBeCloseTo(0.82290, 4);
    });

    it('restricts to the scope, and to a regionId filter inside it', async () => {
      const scoped = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'VILLAGE' }, { regionId: 'T1' });
      expect(scoped.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([['V1', 5], ['V2', 4], [null, 1]]);
      const filtered = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'VILLAGE', regionId: 'V2' }, { regionId: 'T1' });
      expect(filtered.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([['V2', 4]]);
      const township = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP' });
      expect(township.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([['T1', 10], ['T2', 3]]);
      // Asked for a level above the scope or the filter, nothing above them is named: their facts go to null.
      const county = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'COUNTY' }, { regionId: 'T1' });
      expect(county.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([[null, 10]]);
      const above = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', regionId: 'V1' });
      expect(above.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([[null, 5]]);
      const groups = await compute({ measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'GROUP', regionId: 'V1' });
      expect(groups.rows.map((x) => [x.regionId, x.values[0].value])).toEqual([['G1', 1], [null, 4]]);
    });

    it('groups by CADRE only responses that name one', async () => {
      const r = await compute({ measures: ['RESPONSES', 'SATISFIED_RATE'], dimensions: ['CADRE'] });
      expect(r.rows.map((x) => [x.cadreId, x.values])).toEqual([['K1', [count('RESPONSES', 2), hidden('SATISFIED_RATE')]]]);
    });
  });

  describe('issue cohort (issues in T2, received 10 March 08:00)', () => {
    const ISSUE: Measure[] = [
      'ISSUES_RECEIVED', 'RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE', 'ON_TIME_RATE',
      'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'PROACTIVE_RATE', 'BACKLOG', 'THREE_RATE_SCORE',
    ];

    it('computes every issue measure from the final state', async () => {
      const r = await compute({ measures: ISSUE, regionId: 'T2' });
      expect(r.rows).toHaveLength(1);
      const v = r.rows[0].values;
      expect(v.slice(0, 7)).toEqual([
        count('ISSUES_RECEIVED', 5),
        rate('RESPONSE_RATE', 3, 5), // I1 2 h, I3 5 h (a RESOLVED counts), I5 20 h; I2 48 h > 24, I4 none
        rate('CLOSURE_RATE', 3, 5), // I1, I2 resolved, I5 explained; I3 reopened then responded
        rate('RESOLUTION_RATE', 1, 3), // answers: I1 YES, I2 NO, I5 PARTLY
        rate('FALSE_CLOSURE_RATE', 1, 2), // unit-resolved with an answer: I1 YES, I2 NO
        rate('ISSUE_SATISFIED_RATE', 2, 3), // latest scores 5, 2, 4
        rate('ON_TIME_RATE', 1, 3), // due: I1 (on time), I2 (late), I4 (open)
      ]);
      expect(v.slice(7, 10)).toEqual([hours('MEDIAN_HOURS_TO_RESOLVE', 29, 2), hours('P90_HOURS_TO_RESOLVE', 44.2, 2), hours('MEDIAN_HOURS_TO_FIRST_RESPONSE', 12.5, 4)]);
      expect(v.slice(10, 15)).toEqual([
        rate('TRANSFER_RATE', 1, 5),
        { ...count('AVG_TRANSFERS', 0.2), numerator: 1, denominator: 5 },
        rate('REOPEN_RATE', 1, 5),
        rate('PROACTIVE_RATE', 1, 5),
        count('BACKLOG', 3), // I3, I4 and I6 (received in February: `from` does not limit the stock)
      ]);
      // 100 × (0.30 × 3/5 + 0.35 × 1/3 + 0.35 × 2/3) = 53
      expect(v[15].value).toBeCloseTo(53, 12);
    });

    it('derives the state as of a past instant (R + 29 h): later events and callbacks do not exist', async () => {
      const r = await compute({ measures: ['RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE', 'TRANSFER_RATE', 'MEDIAN_HOURS_TO_RESOLVE', 'BACKLOG', 'THREE_RATE_SCORE'], regionId: 'T2', asOf: new Date(at(29)) });
      expect(r.rows[0].values).toEqual([
        rate('RESPONSE_RATE', 3, 5),
        rate('CLOSURE_RATE', 2, 5), // I2 not yet resolved (48 h)
        rate('RESOLUTION_RATE', 1, 1), // only I1's callback (20 h) exists
        rate('FALSE_CLOSURE_RATE', 0, 1),
        rate('ISSUE_SATISFIED_RATE', 1, 1),
        rate('TRANSFER_RATE', 0, 5), // I2's transfer is at 30 h
        hours('MEDIAN_HOURS_TO_RESOLVE', 10, 1),
        count('BACKLOG', 4), // at asOf: I2, I3, I4, I6 open
        { ...count('THREE_RATE_SCORE', 88) }, // 100 × (0.30 × 0.6 + 0.35 + 0.35)
      ]);
    });

    it('groups by the department as of asOf, by category and by channel', async () => {
      const now = await compute({ measures: ['ISSUES_RECEIVED', 'BACKLOG'], dimensions: ['DEPARTMENT'], regionId: 'T2' });
      expect(now.rows.map((x) => [x.departmentId, x.values.map((y) => y.value)])).toEqual([['D1', [1, 0]], ['D2', [2, 0]], [null, [2, 3]]]);
      const before = await compute({ measures: ['ISSUES_RECEIVED'], dimensions: ['DEPARTMENT'], regionId: 'T2', asOf: new Date(at(29)) });
      expect(before.rows.map((x) => [x.departmentId, x.values[0].value])).toEqual([['D1', 2], ['D2', 1], [null, 2]]);
      const cat = await compute({ measures: ['ISSUES_RECEIVED', 'CLOSURE_RATE'], dimensions: ['CATEGORY', 'CHANNEL'], regionId: 'T2' });
      expect(cat.rows.map((x) => [x.category, x.channel, x.values[0].value, x.values[1].numerator])).toEqual([
        ['HEALTHCARE', 'HOTLINE', 2, 2],
        ['HEALTHCARE', 'ONLINE', 1, 0],
        ['INCOME', 'HOTLINE', 1, 0],
        ['INCOME', 'VISIT', 1, 1],
      ]);
      const filtered = await compute({ measures: ['ISSUES_RECEIVED'], regionId: 'T2', categories: ['INCOME'], channels: ['VISIT', 'ONLINE'] });
      expect(filtered.rows[0].values[0].value).toBe(1);
      const dep = await compute({ measures: ['ISSUES_RECEIVED'], regionId: 'T2', departmentIds: ['D2'] });
      expect(dep.rows[0].values[0].value).toBe(2);
      // BACKLOG by department as of R + 29 h: I2 still with D1 (its transfer is at 30 h), I5 explained.
      const stock = await compute({ measures: ['BACKLOG'], dimensions: ['DEPARTMENT'], regionId: 'T2', asOf: new Date(at(29)) });
      expect(stock.rows.map((x) => [x.departmentId, x.values[0].value])).toEqual([['D1', 1], ['D2', 0], [null, 3]]);
      const stockD1 = await compute({ measures: ['BACKLOG'], regionId: 'T2', departmentIds: ['D1'], asOf: new Date(at(29)) });
      expect(stockD1.rows[0].values[0].value).toBe(1);
    });

    it('counts BACKLOG per day as a stock at each day end, or at asOf when earlier', async () => {
      const q = { measures: ['BACKLOG', 'ISSUES_RECEIVED'] as Measure[], dimensions: ['PERIOD' as const], granularity: 'DAY' as const, from: '2025-03-09', to: '2025-03-12', regionId: 'T2' };
      const r = await compute(q);
      // End of 9 Mar: I6; 10 Mar: I2-I6 (I1 resolved at 10 h); 11 Mar: I5 explained; 12 Mar: I2 resolved.
      expect(r.rows.map((x) => [x.period, x.values[0].value, x.values[1].value])).toEqual([
        ['2025-03-09', 1, 0], ['2025-03-10', 5, 5], ['2025-03-11', 4, 0], ['2025-03-12', 3, 0],
      ]);
      // asOf 10 Mar 13:30 (R + 5.5 h): I3 is in its closed spell (RESOLVED 5 h, REOPENED 6 h).
      const early = await compute({ ...q, asOf: new Date(at(5.5)) });
      expect(early.rows.map((x) => [x.period, x.values[0].value])).toEqual([['2025-03-09', 1], ['2025-03-10', 5], ['2025-03-11', 5], ['2025-03-12', 5]]);
    });
  });

  describe('visits and pairings (cadres K1, K2)', () => {
    const PEOPLE: Measure[] = ['VISITS', 'HOUSEHOLDS_VISITED', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE', 'PAIRED_COVERAGE'];

    it('buckets by month, the first clipped by `from`, with festival windows and coverage of the pairings active on each last day', async () => {
      const r = await compute({ measures: PEOPLE, dimensions: ['PERIOD'], granularity: 'MONTH', from: '2025-01-15', to: '2025-03-31', cadreIds: ['K1', 'K2'] });
      expect(r.rows.map((x) => x.period)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
      expect(r.rows.map((x) => x.values)).toEqual([
        // W1 (25 Jan, Spring Festival window); P1 covered by W1, P2 not.
        [count('VISITS', 1), count('HOUSEHOLDS_VISITED', 1), count('VILLAGE_STAY_DAYS', 0), rate('HOLIDAY_VISIT_SHARE', 1, 1), rate('VISIT_ISSUE_RATE', 0, 1), rate('PAIRED_COVERAGE', 1, 2)],
        // W5, W6 (5 Feb 23:30, last window day; stay defaults to 1 day); P1 not visited in Feb, P4 by W5.
        [count('VISITS', 2), count('HOUSEHOLDS_VISITED', 1), count('VILLAGE_STAY_DAYS', 1), rate('HOLIDAY_VISIT_SHARE', 1, 2), rate('VISIT_ISSUE_RATE', 0, 2), rate('PAIRED_COVERAGE', 1, 2)],
        // W2 (raised I7), W3 (3 days), W4, W7; P1 by W2, P3 by W4; P4 ended 20 Mar.
        [count('VISITS', 4), count('HOUSEHOLDS_VISITED', 2), count('VILLAGE_STAY_DAYS', 3), rate('HOLIDAY_VISIT_SHARE', 0, 4), rate('VISIT_ISSUE_RATE', 1, 4), rate('PAIRED_COVERAGE', 2, 2)],
      ]);
    });

    it('counts PAIRED_COVERAGE per day: pairings starting (P3, 10 Mar) and ending (P4, 20 Mar, inclusive)', async () => {
      const day = { measures: ['PAIRED_COVERAGE'] as Measure[], dimensions: ['PERIOD' as const], granularity: 'DAY' as const, cadreIds: ['K1', 'K2'] };
      const a = await compute({ ...day, from: '2025-03-05', to: '2025-03-12' });
      // W2 (K1→H1) covers P1 on 5 Mar; W4 (K2→H3) covers P3 on 12 Mar.
      expect(a.rows.map((x) => [x.period, x.values[0].numerator, x.values[0].denominator])).toEqual([
        ['2025-03-05', 1, 2], ['2025-03-06', 0, 2], ['2025-03-07', 0, 2], ['2025-03-08', 0, 2],
        ['2025-03-09', 0, 2], ['2025-03-10', 0, 3], ['2025-03-11', 0, 3], ['2025-03-12', 1, 3],
      ]);
      const b = await compute({ ...day, from: '2025-03-19', to: '2025-03-21' });
      expect(b.rows.map((x) => [x.period, x.values[0].numerator, x.values[0].denominator])).toEqual([['2025-03-19', 0, 3], ['2025-03-20', 0, 3], ['2025-03-21', 0, 2]]);
    });

    it('groups by CADRE and by REGION (pairings by the household’s region)', async () => {
      const range = { from: '2025-01-15', to: '2025-03-31' };
      const byCadre = await compute({ ...range, measures: ['VISITS', 'PAIRED_COVERAGE'], dimensions: ['CADRE'], cadreIds: ['K1', 'K2'] });
      expect(byCadre.rows.map((x) => [x.cadreId, x.values])).toEqual([
        ['K1', [count('VISITS', 5), rate('PAIRED_COVERAGE', 1, 1)]],
        ['K2', [count('VISITS', 2), rate('PAIRED_COVERAGE', 1, 1)]],
      ]);
      const byRegion = await compute({ ...range, measures: ['VISITS', 'HOUSEHOLDS_VISITED', 'PAIRED_COVERAGE'], dimensions: ['REGION'], regionLevel: 'VILLAGE', cadreIds: ['K1', 'K2'] });
      expect(byRegion.rows.map((x) => [x.regionId, x.values])).toEqual([
        ['V1', [count('VISITS', 3), count('HOUSEHOLDS_VISITED', 1), rate('PAIRED_COVERAGE', 1, 1)]],
        ['V2', [count('VISITS', 0), count('HOUSEHOLDS_VISITED', 0), rate('PAIRED_COVERAGE', 0, 0)]],
        ['V3', [count('VISITS', 3), count('HOUSEHOLDS_VISITED', 1), rate('PAIRED_COVERAGE', 1, 1)]],
        [null, [count('VISITS', 1), count('HOUSEHOLDS_VISITED', 0), rate('PAIRED_COVERAGE', 0, 0)]],
      ]);
    });

    it('buckets DST days in America/New_York (23 h on 9 March, 25 h on 2 November), with empty days', async () => {
      const ny = { measures: ['VISITS'] as Measure[], dimensions: ['PERIOD' as const], granularity: 'DAY' as const, regionId: 'V2', timeZone: 'America/New_York' };
      const spring = await compute({ ...ny, from: '2025-03-07', to: '2025-03-11' });
      expect(spring.rows.map((x) => [x.period, x.values[0].value])).toEqual([['2025-03-07', 0], ['2025-03-08', 1], ['2025-03-09', 2], ['2025-03-10', 1], ['2025-03-11', 0]]);
      const autumn = await compute({ ...ny, from: '2025-11-01', to: '2025-11-03', asOf: new Date('2026-01-01T00:00:00Z') });
      expect(autumn.rows.map((x) => [x.period, x.values[0].value])).toEqual([['2025-11-01', 1], ['2025-11-02', 3], ['2025-11-03', 1]]);
    });

    it('places festival windows on local dates of the query zone', async () => {
      const q = { measures: ['HOLIDAY_VISIT_SHARE'] as Measure[], regionId: 'V2', from: '2025-01-20', to: '2025-01-31' };
      expect((await compute(q)).rows[0].values[0]).toEqual(rate('HOLIDAY_VISIT_SHARE', 1, 1));
      expect((await compute({ ...q, timeZone: 'America/New_York' })).rows[0].values[0]).toEqual(rate('HOLIDAY_VISIT_SHARE', 0, 1));
    });

    it('starts ISO weeks on Monday, before `from`, and rows cross periods × regions', async () => {
      const r = await compute({ measures: ['VISITS'], dimensions: ['PERIOD', 'REGION'], granularity: 'WEEK', regionLevel: 'TOWNSHIP', from: '2025-03-05', to: '2025-03-12', cadreIds: ['K1', 'K2'] });
      // Week of 3 Mar (from 5 Mar): W2, W3 in V1 ⊂ T1; week of 10 Mar (to 12 Mar): W4 in T2.
      expect(r.rows.map((x) => [x.period, x.regionId, x.values[0].value])).toEqual([
        ['2025-03-03', 'T1', 2], ['2025-03-03', 'T2', 0], ['2025-03-10', 'T1', 0], ['2025-03-10', 'T2', 1],
      ]);
      const q = await compute({ measures: ['VISITS'], dimensions: ['PERIOD'], granularity: 'QUARTER', from: '2025-02-20', to: '2025-04-02', cadreIds: ['K1'] });
      expect(q.rows.map((x) => [x.period, x.values[0].value])).toEqual([['2025-01-01', 3], ['2025-04-01', 0]]); // W2, W3, W7 (W5 is before 20 Feb)
      const y = await compute({ measures: ['VISITS'], dimensions: ['PERIOD'], granularity: 'YEAR', from: '2024-12-31', to: '2025-01-31', cadreIds: ['K1'] });
      expect(y.rows.map((x) => [x.period, x.values[0].value])).toEqual([['2024-01-01', 0], ['2025-01-01', 1]]);
    });
  });

  it('issues a bounded number of statements: one per measure family, plus the region list and check', async () => {
    store().resetQueries();
    await compute({ measures: ['RESPONSES', 'ISSUES_RECEIVED', 'MEDIAN_HOURS_TO_RESOLVE', 'BACKLOG', 'VISITS', 'PAIRED_COVERAGE', 'SATISFIED_RATE', 'THREE_RATE_SCORE'], dimensions: ['PERIOD', 'REGION'], granularity: 'DAY', regionLevel: 'VILLAGE', regionId: 'C' });
    // 1 region check + 1 region list + 6 families (satisfaction, issues, durations, backlog, visits, pairings).
    expect(store().queries).toHaveLength(8);
  });
});
