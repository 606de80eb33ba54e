import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { UNSCOPED } from '../../../src/domain/access';
import { describeStores } from '../../helpers/stores';
import { insertMetricsCounty } from '../../factories/metrics-county';
import { createServices } from '../../../src/services';

const BASE: MetricsQueryArgs = { measures: ['VISITS'], from: '2025-03-01', to: '2025-03-31' };

/** The error code and message a query is refused with (or 'OK'). */
async function refusal(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
    return ['OK', ''];
  } catch (e) {
    const err = e as { code?: string; message: string };
    return [String(err.code ?? 'NONE'), err.message];
  }
}

describeStores('MetricsService refuses bad queries', (store) => {
  let sut: MetricsService;
  beforeAll(async () => {
    await insertMetricsCounty(store().ds);
    sut = new MetricsService(store().ds, store().config);
  });

  it.each<[string, Partial<MetricsQueryArgs>, RegExp]>([
    ['no measure', { measures: [] }, /at least one measure/],
    ['an unknown measure', { measures: ['NOPE' as never] }, /unknown measure NOPE/],
    ['REGION without regionLevel', { dimensions: ['REGION'] }, /REGION needs regionLevel/],
    ['PERIOD without granularity', { dimensions: ['PERIOD'] }, /PERIOD needs granularity/],
    ['CADRE with an issue measure', { measures: ['VISITS', 'ISSUES_RECEIVED'], dimensions: ['CADRE'] }, /dimension CADRE does not apply to measure ISSUES_RECEIVED/],
    ['DEPARTMENT with a visit measure', { dimensions: ['DEPARTMENT'] }, /dimension DEPARTMENT does not apply to measure VISITS/],
    ['CATEGORY with a satisfaction measure', { measures: ['RESPONSES'], dimensions: ['CATEGORY'] }, /dimension CATEGORY does not apply to measure RESPONSES/],
    ['CHANNEL with PAIRED_COVERAGE', { measures: ['PAIRED_COVERAGE'], dimensions: ['CHANNEL'] }, /dimension CHANNEL does not apply to measure PAIRED_COVERAGE/],
    ['a category filter with a visit measure', { categories: ['INCOME'] }, /filter categories does not apply to measure VISITS/],
    ['a cadre filter with an issue measure', { measures: ['BACKLOG'], cadreIds: ['K1'] }, /filter cadreIds does not apply to measure BACKLOG/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /not an IANA time zone/],
    ['to before from', { from: '2025-03-02', to: '2025-03-01' }, /"to" \(2025-03-01\) is before "from"/],
    ['a malformed date', { from: '2025-3-1' }, /from must be a date/],
    ['an impossible date', { to: '2025-02-30' }, /to must be a date/],
    ['a range wider than MAX_RANGE_DAYS', { from: '2000-01-01', to: '2025-01-01' }, /covers 9133 days; at most 3660/],
    ['an invalid asOf', { asOf: new Date('nope') }, /asOf must be a valid instant/],
    ['an unknown category', { measures: ['ISSUES_RECEIVED'], categories: ['NOPE' as never] }, /categories: unknown value "NOPE"/],
  ])('BAD_USER_INPUT for %s', async (_what, q, message) => {
    const [code, msg] = await refusal(sut.compute({ ...BASE, ...q }, UNSCOPED));
    expect(code).toBe('BAD_USER_INPUT');
    expect(msg).toMatch(message);
  });

  it('refuses the same invalid asOf in a dashboard filter (one check, checkAsOf)', async () => {
    const dashboard = createServices(store().config, store().ds).dashboard;
    expect(await refusal(dashboard.resolveFilter({ from: '2025-03-01', to: '2025-03-31', asOf: new Date('nope') }, UNSCOPED))).toEqual([
      'BAD_USER_INPUT',
      'asOf must be a valid instant',
    ]);
  });

  it('FORBIDDEN for a regionId outside the scope, NOT_FOUND for an unknown one', async () => {
    expect(await refusal(sut.compute({ ...BASE, regionId: 'V3' }, { regionId: 'T1' }))).toEqual(['FORBIDDEN', 'region V3 is outside your scope']);
    expect(await refusal(sut.compute({ ...BASE, regionId: 'C' }, { regionId: 'T1' }))).toEqual(['FORBIDDEN', 'region C is outside your scope']);
    expect((await refusal(sut.compute({ ...BASE, regionId: 'nowhere' }, UNSCOPED)))[0]).toBe('NOT_FOUND');
  });

  it('QUERY_TOO_COMPLEX when rows × measures would pass MAX_METRIC_CELLS, before any fact is read', async () => {
    const config = { ...store().config, limits: { ...store().config.limits, maxMetricCells: 60 } };
    const small = new MetricsService(store().ds, config);
    store().resetQueries();
    // 31 days × 2 measures = 62 cells > 60.
    const [code, msg] = await refusal(small.compute({ ...BASE, measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD'], granularity: 'DAY' }, UNSCOPED));
    expect([code, msg]).toEqual(['QUERY_TOO_COMPLEX', expect.stringMatching(/needs about 62 cells .* at most 60/)]);
    expect(store().queries).toHaveLength(0);
    // 30 days × 2 = 60 is allowed.
    const ok = await small.compute({ ...BASE, to: '2025-03-30', measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD'], granularity: 'DAY' }, UNSCOPED);
    expect(ok.rows).toHaveLength(30);
    // Open-ended CADRE values are counted first (3 cadres × 11 days × 2 measures = 66 > 60), before any fact is read.
    store().resetQueries();
    const [byCadre] = await refusal(small.compute({ ...BASE, to: '2025-03-11', measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD', 'CADRE'], granularity: 'DAY' }, UNSCOPED));
    expect(byCadre).toBe('QUERY_TOO_COMPLEX');
    expect(store().queries).toHaveLength(1);
    // In T1's scope there are 2 cadres (K1, K3): 2 × 11 × 2 = 44 cells are allowed.
    const scoped = await small.compute({ ...BASE, to: '2025-03-11', measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD', 'CADRE'], granularity: 'DAY' }, { regionId: 'T1' });
    expect(scoped.rows.length).toBeLessThanOrEqual(22);
  });
});
