import { ImportService } from '../../../src/import/import.service';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';

const METRICS = `query($q: MetricsQuery!) { metrics(query: $q) { dataAsOf rows { region { id } values { measure value } } } }`;
const Q = { q: { measures: ['RESPONSES'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2025-03-01', to: '2025-03-31' } };
const OVERVIEW = `{ dashboard(filter: { from: "2025-03-01", to: "2025-03-31" }) { overview { measure value { value } } } }`;
const STAMP = /FROM [`"]?write_clock/;

const resp = (id: string, regionId: string, score: number) => ({ id, regionId, respondedAt: '2025-03-10T02:00:00Z', channel: 'PHONE_CALLBACK', score });
const counts = (data: { metrics: { rows: Array<{ region: { id: string } | null; values: Array<{ value: number }> }> } }) =>
  Object.fromEntries(data.metrics.rows.map((r) => [r.region?.id ?? null, r.values[0].value]));
/** Statements that computed something: not the stamp, not the per-request region loader. */
const computing = (queries: string[]) => queries.filter((q) => !STAMP.test(q) && !/FROM [`"]?regions[`"]? /.test(q));

describeStores(
  'analytics answer cache',
  (store) => {
    const gql = graphqlClient(store);
    let imports: ImportService;
    beforeAll(async () => {
      imports = new ImportService(store().ds, store().config);
      await imports.importRecords('regions', [
        { id: 'cty', level: 'COUNTY', name: '县' },
        { id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '一镇' },
        { id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '二镇' },
        { id: 'v1', parentId: 't1', level: 'VILLAGE', name: '一村' },
        { id: 'v2', parentId: 't2', level: 'VILLAGE', name: '二村' },
      ]);
      await imports.importRecords('survey_responses', [resp('r1', 'v1', 5), resp('r2', 'v2', 2)]);
    });

    it('answers the same metrics query again from the cache: one statement, the same dataAsOf', async () => {
      const first = await gql.data(METRICS, Q);
      expect(counts(first)).toEqual({ t1: 1, t2: 1 });
      store().resetQueries();
      const again = await gql.data(METRICS, Q);
      expect(again).toEqual(first);
      expect(computing(store().queries)).toEqual([]);
      expect(store().queries.filter((q) => STAMP.test(q))).toHaveLength(1);
    });

    it('computes again once a write has committed', async () => {
      const before = await gql.data(METRICS, Q);
      await imports.importRecords('survey_responses', [resp('r3', 'v1', 4)]);
      store().resetQueries();
      const after = await gql.data(METRICS, Q);
      expect(counts(after)).toEqual({ t1: 2, t2: 1 });
      expect(computing(store().queries).length).toBeGreaterThan(0);
      expect(after.metrics.dataAsOf).not.toBe(before.metrics.dataAsOf);
    });

    it('never gives one scope the answer computed for another', async () => {
      await gql.data(METRICS, Q); // cached for ADMIN, whole county
      const officer = await gql.data(METRICS, Q, { regionId: 't2' });
      expect(counts(officer)).toEqual({ t2: 1 });
      const other = await gql.data(METRICS, Q, { regionId: 't1' });
      expect(counts(other)).toEqual({ t1: 2 });
    });

    it('caches dashboard panels with the filter they were computed on', async () => {
      const first = await gql.data(OVERVIEW);
      store().resetQueries();
      expect(await gql.data(OVERVIEW)).toEqual(first);
      expect(store().queries).toHaveLength(1);
      expect(store().queries[0]).toMatch(STAMP);
    });

    it('forgets an answer after ANALYTICS_CACHE_TTL_MS even without a write', async () => {
      await gql.data(METRICS, Q);
      await new Promise((r) => setTimeout(r, 1100));
      store().resetQueries();
      await gql.data(METRICS, Q);
      expect(computing(store().queries).length).toBeGreaterThan(0);
    });
  },
  { ANALYTICS_CACHE_TTL_MS: '1000' },
);

describeStores('analytics answer cache, turned off', (store) => {
  const gql = graphqlClient(store);
  it('computes every time and reads no stamp when ANALYTICS_CACHE_TTL_MS is 0', async () => {
    await gql.data(METRICS, Q);
    store().resetQueries();
    await gql.data(METRICS, Q);
    expect(computing(store().queries).length).toBeGreaterThan(0);
    expect(store().queries.some((q) => STAMP.test(q))).toBe(false);
  });
});
