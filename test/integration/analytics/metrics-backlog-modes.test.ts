import type { Dimension } from '../../../src/analytics/analytics.enums';
import { BACKLOG_INSTANTS_MAX } from '../../../src/analytics/measures/issues.measures';
import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { UNSCOPED } from '../../../src/domain/access';
import { describeStores } from '../../helpers/stores';
import { at, insertMetricsCounty } from '../../factories/metrics-county';

/**
 * BACKLOG has two SQL strategies: counted at each stock instant (few buckets) and summed from
 * changes (many buckets). Over the same days they must agree exactly, whatever the dimensions and asOf.
 */
describeStores('BACKLOG: counted at instants = summed from changes', (store) => {
  let sut: MetricsService;
  beforeAll(async () => {
    await insertMetricsCounty(store().ds);
    sut = new MetricsService(store().ds, store().config);
  });

  const key = (r: { period: string | null; regionId: string | null; departmentId: string | null; category: string | null }) =>
    JSON.stringify([r.period, r.regionId, r.departmentId, r.category]);

  const cases: Array<[string, Dimension[], Partial<MetricsQueryArgs>]> = [
    ['county, asOf after every event', [], { asOf: new Date('2025-06-01T00:00:00Z') }],
    ['county, asOf mid-lifecycle', [], { asOf: new Date(at(29)) }],
    ['by department as of asOf', ['DEPARTMENT'], { asOf: new Date(at(29)) }],
    ['by village and category', ['REGION', 'CATEGORY'], { regionLevel: 'VILLAGE', asOf: new Date(at(80)) }],
    ['filtered to a department', [], { departmentIds: ['D1'], asOf: new Date(at(29)) }],
  ];

  it.each(cases)('%s', async (_name, dims, extra) => {
    const base = { measures: ['BACKLOG' as const], granularity: 'DAY' as const, ...extra };
    const wide = await sut.compute({ ...base, dimensions: ['PERIOD', ...dims], from: '2025-01-20', to: '2025-04-30' }, UNSCOPED);
    const narrow = await sut.compute({ ...base, dimensions: ['PERIOD', ...dims], from: '2025-03-05', to: '2025-03-16' }, UNSCOPED);
    expect(new Set(wide.rows.map((r) => r.period)).size).toBeGreaterThan(BACKLOG_INSTANTS_MAX);
    expect(new Set(narrow.rows.map((r) => r.period)).size).toBeLessThanOrEqual(BACKLOG_INSTANTS_MAX);
    const wideBy = new Map(wide.rows.map((r) => [key(r), r.values[0].value]));
    const narrowBy = new Map(narrow.rows.map((r) => [key(r), r.values[0].value]));
    // Some day in the window must hold a nonzero stock, or the comparison proves nothing.
    expect([...narrowBy.values()].some((v) => (v ?? 0) > 0)).toBe(true);
    for (const [k, v] of narrowBy) expect([k, wideBy.get(k) ?? 0]).toEqual([k, v]);
    for (const r of wide.rows) {
      if (r.period! < '2025-03-05' || r.period! > '2025-03-16') continue;
      expect([key(r), narrowBy.get(key(r)) ?? 0]).toEqual([key(r), r.values[0].value]);
    }
  });
});
