import { describeStores } from '../../../helpers/stores';
import { DASHBOARD_ENV, insertDashboardCounty, MARCH } from '../../../factories/dashboard-county';
import { graphqlClient } from '../../../helpers/graphql-client';
import { createServices } from '../../../../src/services';
import { UNSCOPED } from '../../../../src/domain/access';

const MV = 'measure value numerator denominator low high suppressed';
const ALL_PANELS = `
  query Dash($filter: DashboardFilter!) {
    dashboard(filter: $filter) {
      filter { from to previousFrom previousTo timeZone asOf regionId region { id } }
      overview { measure label change value { ${MV} } previous { ${MV} } }
      trend { period values { measure value } }
      ranking(level: TOWNSHIP) { rank region { id } count tieBand tiedWith value { ${MV} } }
      categories { category label received closure { ${MV} } resolution { ${MV} } satisfied { ${MV} } falseClosure { ${MV} } }
      backlogAgeing { key label minDays maxDays count departments { departmentId count department { id name } } }
      festivalVisiting(level: TOWNSHIP) { region { id } visits holidayVisits flagged share { ${MV} } }
      falseClosures(level: TOWNSHIP) { region { id } unitResolvedAnswered denied gap rate { ${MV} } closure { ${MV} } resolution { ${MV} } }
    }
  }`;

type Value = { measure: string; value: number | null; numerator: number | null; denominator: number | null; low: number | null; high: number | null; suppressed: boolean };
const rate = (measure: string, k: number, n: number) => ({ measure, numerator: k, denominator: n, value: n ? k / n : null, suppressed: false });
const tile = (d: any, m: string) => d.dashboard.overview.find((t: { measure: string }) => t.measure === m);

describeStores(
  'Dashboard panels',
  (store) => {
    const gql = graphqlClient(store);
    beforeAll(() => insertDashboardCounty(store().ds));
    const dash = (filter: Record<string, unknown> = {}, query = ALL_PANELS, scope?: { regionId: string | null }) =>
      gql.data(query, { filter: { ...MARCH, ...filter } }, scope);

    let all: any;
    beforeAll(async () => {
      all = await dash();
    });

    it('echoes the filter with the previous period of the same length', () => {
      expect(all.dashboard.filter).toEqual({
        from: '2025-03-01',
        to: '2025-03-31',
        previousFrom: '2025-01-29',
        previousTo: '2025-02-28',
        timeZone: 'Asia/Shanghai',
        asOf: MARCH.asOf,
        regionId: null,
        region: null,
      });
    });

    it('overview: every tile with its previous period and change', () => {
      const d = all;
      expect(d.dashboard.overview.map((t: { measure: string }) => t.measure)).toEqual([
        'SATISFIED_RATE', 'SATISFACTION_AVG', 'RESPONSES', 'RESPONSE_RATE', 'RESOLUTION_RATE',
        'CLOSURE_RATE', 'CONTACTED_RATE', 'REPEAT_RATE', 'BACKLOG', 'VISITS', 'VISIT_COVERAGE',
        'PAIRED_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'THREE_RATE_SCORE',
      ]);
      const sat = tile(d, 'SATISFIED_RATE');
      expect(sat.label).toBe('满意率');
      expect(sat.value).toMatchObject(rate('SATISFIED_RATE', 21, 42));
      expect(sat.value.low).toBeCloseTo(0.35526, 5);
      expect(sat.value.high).toBeCloseTo(0.64474, 5);
      // February has exactly MIN_RESPONSES (3) responses: shown, not suppressed.
      expect(sat.previous).toMatchObject(rate('SATISFIED_RATE', 2, 3));
      expect(sat.change).toBeCloseTo(0.5 - 2 / 3, 12);
      expect(tile(d, 'SATISFACTION_AVG').value).toMatchObject({ value: 130 / 42, numerator: 130, denominator: 42 });
      expect(tile(d, 'SATISFACTION_AVG').previous).toMatchObject({ value: 11 / 3 });
      expect(tile(d, 'RESPONSES')).toMatchObject({ value: { value: 42 }, previous: { value: 3 }, change: 39 });
      expect(tile(d, 'RESPONSE_RATE').value).toMatchObject(rate('RESPONSE_RATE', 3, 7));
      expect(tile(d, 'RESPONSE_RATE').previous).toMatchObject(rate('RESPONSE_RATE', 0, 1));
      expect(tile(d, 'RESPONSE_RATE').change).toBeCloseTo(3 / 7, 12);
      expect(tile(d, 'RESOLUTION_RATE').value).toMatchObject(rate('RESOLUTION_RATE', 1, 2));
      // No answered issue in February: no previous value, so no change.
      expect(tile(d, 'RESOLUTION_RATE')).toMatchObject({ previous: { value: null, denominator: 0 }, change: null });
      // i5 was reopened on 5 April: not closed at asOf.
      expect(tile(d, 'CLOSURE_RATE').value).toMatchObject(rate('CLOSURE_RATE', 2, 7));
      expect(tile(d, 'BACKLOG')).toMatchObject({ value: { value: 5 }, previous: { value: 1 }, change: 4 });
      expect(tile(d, 'VISITS')).toMatchObject({ value: { value: 10 }, previous: { value: 1 }, change: 9 });
      expect(tile(d, 'PAIRED_COVERAGE')).toMatchObject({ value: rate('PAIRED_COVERAGE', 1, 2), previous: rate('PAIRED_COVERAGE', 0, 2), change: 0.5 });
      // i1's callback says contacted, i2's not; February's only issue (i6) has no callback.
      expect(tile(d, 'CONTACTED_RATE')).toMatchObject({ label: '联系率', value: rate('CONTACTED_RATE', 1, 2), previous: { value: null, denominator: 0 }, change: null });
      // i1 and i2 name hh1 with the same category a day apart: i2 is a repeat; i6 names no household.
      expect(tile(d, 'REPEAT_RATE')).toMatchObject({ value: rate('REPEAT_RATE', 1, 2), previous: { value: null, denominator: 0 }, change: null });
      // hh1 visited on 14 March (w1); February's visit w11 names no household.
      expect(tile(d, 'VISIT_COVERAGE')).toMatchObject({ value: rate('VISIT_COVERAGE', 1, 2), previous: rate('VISIT_COVERAGE', 0, 2), change: 0.5 });
      // Both pairings active on 31 March and on 28 February.
      expect(tile(d, 'PAIRED_HOUSEHOLD_RATE')).toMatchObject({ value: rate('PAIRED_HOUSEHOLD_RATE', 2, 2), previous: rate('PAIRED_HOUSEHOLD_RATE', 2, 2), change: 0 });
      const three = tile(d, 'THREE_RATE_SCORE');
      expect(three.value.value).toBeCloseTo(100 * (0.3 * (3 / 7) + 0.35 * 0.5 + 0.35 * 0.5), 10);
      expect(three.value.value).toBeCloseTo(47.857142857, 8);
      expect(three.previous.value).toBeNull();
      expect(three.change).toBeNull();
    });

    it('trend: one point per bucket, default MONTH and the overview measures', async () => {
      expect(all.dashboard.trend).toHaveLength(1);
      expect(all.dashboard.trend[0].period).toBe('2025-03-01');
      expect(all.dashboard.trend[0].values.map((v: Value) => v.value)).toEqual(
        tile(all, 'SATISFIED_RATE') && all.dashboard.overview.map((t: { value: Value }) => t.value.value),
      );
      const d = await dash({}, `query($filter: DashboardFilter!) { dashboard(filter: $filter) { trend(granularity: DAY, measures: [VISITS]) { period values { measure value } } } }`);
      const points = d.dashboard.trend as Array<{ period: string; values: Value[] }>;
      expect(points).toHaveLength(31);
      const nonZero = Object.fromEntries(points.filter((p) => p.values[0].value !== 0).map((p) => [p.period, p.values[0].value]));
      expect(nonZero).toEqual({ '2025-03-14': 2, '2025-03-15': 3, '2025-03-16': 2, '2025-03-17': 1, '2025-03-20': 1, '2025-03-25': 1 });
    });

    it('ranking: overlapping intervals share a band, suppressed cells rank last', () => {
      const r = all.dashboard.ranking;
      expect(r.map((e: any) => [e.region.id, e.rank, e.tieBand, e.tiedWith, e.count])).toEqual([
        ['t1', 1, 1, ['t2'], 10],
        ['t2', 2, 1, ['t1'], 10],
        ['t4', 3, 2, [], 20],
        ['t3', 4, 3, [], 2],
      ]);
      expect(r[0].value).toMatchObject(rate('SATISFIED_RATE', 9, 10));
      expect(r[0].value.low).toBeCloseTo(0.59585, 5);
      expect(r[1].value.high).toBeCloseTo(0.94332, 5);
      expect(r[1].value.low).toBeCloseTo(0.49016, 5);
      expect(r[2].value.high).toBeCloseTo(0.30103, 5);
      expect(r[3].value).toEqual({ measure: 'SATISFIED_RATE', value: null, numerator: null, denominator: null, low: null, high: null, suppressed: true });
    });

    it('ranking by a count uses the count itself; equal values share a rank', async () => {
      const d = await dash({}, `query($filter: DashboardFilter!) { dashboard(filter: $filter) { ranking(level: TOWNSHIP, measure: VISITS) { rank region { id } count tieBand tiedWith } } }`);
      expect(d.dashboard.ranking.map((e: any) => [e.region.id, e.rank, e.count, e.tieBand, e.tiedWith])).toEqual([
        ['t1', 1, 5, 1, []],
        ['t2', 2, 4, 2, []],
        ['t3', 3, 0, 3, ['t4']],
        ['t4', 3, 0, 3, ['t3']],
      ]);
    });

    it('categories: every category, busiest first, with closure, resolution, satisfied and false closure', () => {
      const c = all.dashboard.categories;
      expect(c.map((x: any) => [x.category, x.received])).toEqual([
        ['SOCIAL_SECURITY', 2],
        ['HEALTHCARE', 2],
        ['OTHER', 2],
        ['EMPLOYMENT', 1],
        ['EDUCATION', 0],
        ['DISPUTE', 0],
        ['INCOME', 0],
        ['LAND_RELOCATION', 0],
        ['INFRASTRUCTURE', 0],
        ['ENVIRONMENT', 0],
        ['PUBLIC_SAFETY', 0],
      ]);
      expect(c[0]).toMatchObject({
        label: '社会保障',
        closure: rate('CLOSURE_RATE', 2, 2),
        resolution: rate('RESOLUTION_RATE', 1, 2),
        satisfied: rate('ISSUE_SATISFIED_RATE', 1, 2),
        falseClosure: rate('FALSE_CLOSURE_RATE', 1, 2),
      });
      expect(c[1]).toMatchObject({ closure: rate('CLOSURE_RATE', 0, 2), resolution: rate('RESOLUTION_RATE', 0, 0), falseClosure: rate('FALSE_CLOSURE_RATE', 0, 0) });
      // Reopened at asOf: neither closed nor unit-resolved.
      expect(c[3]).toMatchObject({ closure: rate('CLOSURE_RATE', 0, 1), falseClosure: rate('FALSE_CLOSURE_RATE', 0, 0) });
      expect(c[4]).toMatchObject({ closure: { value: null, numerator: 0, denominator: 0 } });
    });

    it('backlog ageing: open issues at the end instant by age, exactly 3 days in 3–7', () => {
      const a = all.dashboard.backlogAgeing;
      expect(a.map((b: any) => [b.key, b.minDays, b.maxDays, b.count, b.departments.map((x: any) => [x.departmentId, x.count, x.department?.name ?? null])])).toEqual([
        ['D0_3', 0, 3, 1, [[null, 1, null]]],
        ['D3_7', 3, 7, 2, [[null, 2, null]]],
        ['D7_15', 7, 15, 0, []],
        ['D15_30', 15, 30, 1, [['d2', 1, '卫健局']]],
        ['D30_', 30, null, 1, [['d1', 1, '民政局']]],
      ]);
      // The same set as the BACKLOG tile.
      expect(a.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(tile(all, 'BACKLOG').value.value);
    });

    it('backlog ageing as of a past instant derives the state from events', async () => {
      const d = await dash(
        { asOf: '2025-03-20T04:00:00.000Z' },
        `query($filter: DashboardFilter!) { dashboard(filter: $filter) { backlogAgeing { key count departments { departmentId count } } overview { measure value { value } } } }`,
      );
      expect(d.dashboard.backlogAgeing.map((b: any) => [b.key, b.count, b.departments])).toEqual([
        ['D0_3', 1, [{ departmentId: 'd2', count: 1 }]],
        ['D3_7', 0, []],
        ['D7_15', 1, [{ departmentId: 'd2', count: 1 }]],
        ['D15_30', 0, []],
        ['D30_', 1, [{ departmentId: 'd1', count: 1 }]],
      ]);
      expect(tile(d, 'BACKLOG').value.value).toBe(3);
    });

    it('backlog ageing measures age from the local midnight of the query zone', async () => {
      // New York: the end instant is 1 Apr 04:00Z, 12 h after Shanghai's, so i8 (just under 3 days in
      // Shanghai) is 3.5 days old.
      const d = await dash({ timeZone: 'America/New_York' }, `query($filter: DashboardFilter!) { dashboard(filter: $filter) { backlogAgeing { key count } } }`);
      expect(d.dashboard.backlogAgeing.map((b: any) => [b.key, b.count])).toEqual([
        ['D0_3', 0],
        ['D3_7', 3],
        ['D7_15', 0],
        ['D15_30', 1],
        ['D30_', 1],
      ]);
    });

    it('festival visiting: share per region, flagged at exactly 0.8, the county-level visit in a null row', () => {
      const f = all.dashboard.festivalVisiting;
      expect(f.map((x: any) => [x.region?.id ?? null, x.visits, x.holidayVisits, x.flagged])).toEqual([
        ['t1', 5, 4, true],
        ['t2', 4, 3, false],
        ['t3', 0, 0, false],
        ['t4', 0, 0, false],
        [null, 1, 0, false],
      ]);
      expect(f[0].share).toMatchObject(rate('HOLIDAY_VISIT_SHARE', 4, 5));
      expect(f[0].share.low).toBeCloseTo(0.37553, 5);
      expect(f[1].share.high).toBeCloseTo(0.95441, 5);
      expect(f[2].share).toMatchObject({ value: null, low: null });
    });

    it('false closures: denied unit resolutions per region, closure vs resolution', () => {
      const f = all.dashboard.falseClosures;
      expect(f.map((x: any) => [x.region.id, x.unitResolvedAnswered, x.denied])).toEqual([
        ['t1', 2, 1],
        ['t2', 0, 0],
        ['t3', 0, 0],
        ['t4', 0, 0],
      ]);
      expect(f[0]).toMatchObject({ rate: rate('FALSE_CLOSURE_RATE', 1, 2), closure: rate('CLOSURE_RATE', 2, 3), resolution: rate('RESOLUTION_RATE', 1, 2) });
      expect(f[0].gap).toBeCloseTo(2 / 3 - 1 / 2, 12);
      expect(f[0].rate.low).toBeCloseTo(0.09453, 5);
      expect(f[1]).toMatchObject({ closure: rate('CLOSURE_RATE', 0, 4), gap: null });
    });

    it('category and channel filters narrow issue panels only', async () => {
      const d = await dash({ categories: ['HEALTHCARE'] });
      expect(tile(d, 'RESPONSE_RATE').value).toMatchObject(rate('RESPONSE_RATE', 1, 2));
      expect(tile(d, 'BACKLOG').value.value).toBe(2);
      expect(tile(d, 'SATISFIED_RATE').value).toMatchObject(rate('SATISFIED_RATE', 21, 42));
      expect(tile(d, 'VISITS').value.value).toBe(10);
      // Issue measures narrow (no HEALTHCARE issue has a callback or a household); household measures do not.
      expect(tile(d, 'CONTACTED_RATE').value).toMatchObject({ value: null, numerator: 0, denominator: 0 });
      expect(tile(d, 'REPEAT_RATE').value).toMatchObject({ value: null, numerator: 0, denominator: 0 });
      expect(tile(d, 'VISIT_COVERAGE').value).toMatchObject(rate('VISIT_COVERAGE', 1, 2));
      expect(tile(d, 'PAIRED_HOUSEHOLD_RATE').value).toMatchObject(rate('PAIRED_HOUSEHOLD_RATE', 2, 2));
      expect(d.dashboard.categories.map((c: any) => [c.category, c.received])).toEqual([['HEALTHCARE', 2]]);
      expect(d.dashboard.backlogAgeing.map((b: any) => b.count)).toEqual([0, 1, 0, 1, 0]);
      const ch = await dash({ channels: ['WALK_IN'] });
      expect(tile(ch, 'BACKLOG').value.value).toBe(2);
      expect(ch.dashboard.backlogAgeing.map((b: any) => b.count)).toEqual([1, 1, 0, 0, 0]);
    });

    it('a regionId filter keeps its subtree; a scope limits everything and forbids other regions', async () => {
      const q = `query($filter: DashboardFilter!) { dashboard(filter: $filter) { filter { region { id } } overview { measure value { value } } ranking(level: TOWNSHIP) { region { id } } } }`;
      const t2 = await dash({ regionId: 't2' }, q);
      expect(t2.dashboard.filter.region).toEqual({ id: 't2' });
      expect(tile(t2, 'RESPONSES').value.value).toBe(10);
      expect(tile(t2, 'BACKLOG').value.value).toBe(4);
      expect(t2.dashboard.ranking).toEqual([{ region: { id: 't2' } }]);
      const scoped = await dash({}, q, { regionId: 't1' });
      expect(tile(scoped, 'RESPONSES').value.value).toBe(10);
      expect(tile(scoped, 'BACKLOG').value.value).toBe(1);
      expect(scoped.dashboard.ranking).toEqual([{ region: { id: 't1' } }]);
      const forbidden = await gql.run(q, { filter: { ...MARCH, regionId: 't2' } }, { regionId: 't1' });
      expect(forbidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(forbidden.data?.dashboard ?? null).toBeNull();
    });

    it('rejects bad filters with BAD_USER_INPUT (or NOT_FOUND for an unknown region)', async () => {
      const q = `query($filter: DashboardFilter!) { dashboard(filter: $filter) { overview { measure } } }`;
      const codes = async (filter: Record<string, unknown>) =>
        ((await gql.run(q, { filter: { ...MARCH, ...filter } })).errors ?? []).map((e) => e.extensions?.code);
      expect(await codes({ from: '2025-04-01' })).toEqual(['BAD_USER_INPUT']);
      expect(await codes({ timeZone: 'Mars/Olympus' })).toEqual(['BAD_USER_INPUT']);
      expect(await codes({ from: '2025-02-30' })).toEqual(['BAD_USER_INPUT']);
      expect(await codes({ regionId: 'nowhere' })).toEqual(['NOT_FOUND']);
      // Over MAX_RANGE_DAYS (3660): one error for the dashboard, not one per panel.
      const wide = await gql.run(`query($filter: DashboardFilter!) { dashboard(filter: $filter) { ranking(level: TOWNSHIP) { rank } trend { period } } }`, {
        filter: { ...MARCH, from: '2015-01-01' },
      });
      expect(wide.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(wide.errors?.[0].message).toContain('3743 days');
    });

    it('fetches all panels with a bounded number of SQL statements', async () => {
      store().resetQueries();
      await dash();
      const statements = store().queries.length;
      // Measured 30: overview 2 × 6 families (households: VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE), trend 6
      // (its default measures are the overview's), ranking/festival/false closures 2 each (regions of
      // the level + one family), categories 1, ageing 3 (its younger bands; BACKLOG by department from
      // the engine: the latest instants and one family), two loaders (regions, departments).
      expect(statements).toBeLessThanOrEqual(30);
      expect(statements).toBeGreaterThan(0);
    });
  },
  DASHBOARD_ENV,
);

/*
 * The oldest band (30 days and more) is the engine's BACKLOG by department less the younger open
 * issues: an issue received exactly 30 days before the end instant is in it, one received 1 ms
 * later in 15–30; with the rollups built, the backlog comes from the backlog rollup.
 */
describeStores('backlog ageing at the 30-day edge, from the backlog rollup', (store) => {
  it('puts exactly 30 days in the oldest band and 1 ms less in 15–30, by department, as the BACKLOG tile counts them', async () => {
    const services = createServices(store().config, store().ds);
    await services.rollups.buildStale(() => undefined);
    const end = Date.parse('2025-04-01T00:00:00+08:00'); // the end instant of 31 March, Shanghai
    const at = (ms: number) => new Date(ms).toISOString();
    await services.importer.importRecords('regions', [{ id: 'C', level: 'COUNTY', name: '县' }]);
    await services.importer.importRecords('departments', [{ id: 'd1', name: '一局' }, { id: 'd2', name: '二局' }]);
    const issue = (id: string, receivedMs: number) => ({ id, regionId: 'C', channel: 'HOTLINE', category: 'DISPUTE', receivedAt: at(receivedMs) });
    await services.importer.importRecords('issues', [
      issue('old', end - 30 * 86_400_000),
      issue('young', end - 30 * 86_400_000 + 1),
      issue('older', end - 90 * 86_400_000),
      issue('closed', end - 60 * 86_400_000),
      issue('new', end - 3_600_000),
    ]);
    await services.importer.importRecords('issue_events', [
      { id: 'e1', issueId: 'old', at: at(end - 29 * 86_400_000), type: 'ASSIGNED', departmentId: 'd1' },
      { id: 'e2', issueId: 'young', at: at(end - 29 * 86_400_000), type: 'ASSIGNED', departmentId: 'd1' },
      { id: 'e3', issueId: 'older', at: at(end - 80 * 86_400_000), type: 'ASSIGNED', departmentId: 'd2' },
      { id: 'e4', issueId: 'closed', at: at(end - 50 * 86_400_000), type: 'CLOSED', departmentId: null },
    ]);
    await services.rollups.load();
    const f = await services.dashboard.resolveFilter({ from: '2025-03-01', to: '2025-03-31', asOf: new Date('2025-06-01T00:00:00Z') }, UNSCOPED);
    const bands = await services.dashboard.backlogAgeing(f, UNSCOPED);
    expect(bands.map((b) => [b.key, b.count, b.departments.map((d) => [d.departmentId, d.count])])).toEqual([
      ['D0_3', 1, [[null, 1]]],
      ['D3_7', 0, []],
      ['D7_15', 0, []],
      ['D15_30', 1, [['d1', 1]]],
      ['D30_', 2, [['d1', 1], ['d2', 1]]],
    ]);
    const [tile] = (await services.metrics.compute({ measures: ['BACKLOG'], from: '2025-03-01', to: '2025-03-31', asOf: f.asOf }, UNSCOPED)).rows;
    expect(tile.values[0].value).toBe(4);
    expect((await services.metrics.compute({ measures: ['BACKLOG'], dimensions: ['DEPARTMENT'], from: '2025-03-01', to: '2025-03-31', asOf: f.asOf }, UNSCOPED)).rollupsRead).toEqual(['rollup_backlog_cube']);
    await services.close();
  });
});
