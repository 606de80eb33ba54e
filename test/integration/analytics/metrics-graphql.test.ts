import { Measures } from '../../../src/analytics/analytics.enums';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { insertMetricsCounty } from '../../factories/metrics-county';

const METRICS = `query ($q: MetricsQuery!) {
  metrics(query: $q) {
    dataAsOf
    rows { period region { id } cadre { id } department { id } category channel
           values { measure value numerator denominator low high suppressed } }
  }
}`;

describeStores('GraphQL metrics and metricDefinitions', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() => insertMetricsCounty(store().ds));

  it('answers rows shaped as api.md, values in request order, relations resolved', async () => {
    const data = await gql.data(METRICS, {
      q: { measures: ['RESPONSES', 'SATISFIED_RATE'], dimensions: ['REGION', 'PERIOD'], regionLevel: 'VILLAGE', granularity: 'MONTH', from: '2025-03-01', to: '2025-03-31', regionId: 'T1', asOf: '2025-06-01T00:00:00.000Z' },
    });
    expect(data.metrics.dataAsOf).toBe('2025-06-01T00:00:00.000Z');
    expect(data.metrics.rows.map((r: any) => [r.period, r.region?.id ?? null, r.cadre, r.department, r.category, r.channel, r.values.map((v: any) => [v.measure, v.value, v.numerator, v.denominator, v.suppressed])])).toEqual([
      ['2025-03-01', 'V1', null, null, null, null, [['RESPONSES', 5, null, null, false], ['SATISFIED_RATE', 0.4, 2, 5, false]]],
      ['2025-03-01', 'V2', null, null, null, null, [['RESPONSES', 4, null, null, false], ['SATISFIED_RATE', null, null, null, true]]],
      ['2025-03-01', null, null, null, null, null, [['RESPONSES', 1, null, null, false], ['SATISFIED_RATE', null, null, null, true]]],
    ]);
  });

  it('resolves cadre and department rows', async () => {
    const byCadre = await gql.data(METRICS, { q: { measures: ['VISITS'], dimensions: ['CADRE'], from: '2025-03-01', to: '2025-03-31', asOf: '2025-06-01T00:00:00.000Z' } });
    expect(byCadre.metrics.rows.map((r: any) => [r.cadre.id, r.values[0].value])).toEqual([['K1', 3], ['K2', 1], ['K3', 4]]);
    const byDep = await gql.data(METRICS, { q: { measures: ['ISSUES_RECEIVED'], dimensions: ['DEPARTMENT'], from: '2025-03-01', to: '2025-03-31', regionId: 'T2' } });
    expect(byDep.metrics.rows.map((r: any) => [r.department?.id ?? null, r.values[0].value])).toEqual([['D1', 1], ['D2', 2], [null, 2]]);
  });

  it('answers BAD_USER_INPUT for a bad query, FORBIDDEN outside an officer’s scope', async () => {
    expect(await gql.codes(METRICS, { q: { measures: ['VISITS'], dimensions: ['REGION'], from: '2025-03-01', to: '2025-03-31' } })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes(METRICS, { q: { measures: ['VISITS'], from: '2025-03-01', to: '2025-13-01' } })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes(METRICS, { q: { measures: ['VISITS'], from: '2025-03-01', to: '2025-03-31', regionId: 'V3' } }, { regionId: 'T1' })).toEqual(['FORBIDDEN']);
  });

  it('serves the catalogue from the same definitions', async () => {
    const data = await gql.data('{ metricDefinitions { measure version name nameEn unit formula facts dimensions } }');
    expect(data.metricDefinitions.map((d: any) => d.measure)).toEqual(Measures.values);
    expect(data.metricDefinitions.find((d: any) => d.measure === 'SATISFIED_RATE')).toEqual({
      measure: 'SATISFIED_RATE',
      version: 1,
      name: '满意率',
      nameEn: 'Satisfied rate',
      unit: 'RATE',
      formula: 'responses with score ≥ 4 / responses; suppressed when responses < MIN_RESPONSES',
      facts: ['survey_responses'],
      dimensions: ['REGION', 'PERIOD', 'CADRE'],
    });
    expect(data.metricDefinitions.find((d: any) => d.measure === 'PAIRED_COVERAGE').facts).toEqual(['pairings', 'households', 'visits']);
  });

  it('says which way is better on every definition, as metrics.md lists them', async () => {
    const data = await gql.data('{ metricDefinitions { measure better } }');
    expect(data.metricDefinitions).toHaveLength(Measures.values.length);
    const LOWER = ['DISSATISFIED_RATE', 'FALSE_CLOSURE_RATE', 'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'REPEAT_RATE', 'BACKLOG', 'HOLIDAY_VISIT_SHARE'];
    const NONE = ['RESPONSES', 'ISSUES_RECEIVED'];
    for (const d of data.metricDefinitions) {
      expect([d.measure, d.better]).toEqual([d.measure, LOWER.includes(d.measure) ? 'LOWER' : NONE.includes(d.measure) ? 'NONE' : 'HIGHER']);
    }
  });

  it('defines the four measures of issue 18 like every other', async () => {
    const data = await gql.data('{ metricDefinitions { measure version name nameEn unit formula facts dimensions better } }');
    const of = (m: string) => data.metricDefinitions.find((d: any) => d.measure === m);
    expect(of('CONTACTED_RATE')).toMatchObject({ version: 1, name: '联系率', unit: 'RATE', facts: expect.arrayContaining(['issues', 'survey_responses']), dimensions: ['REGION', 'PERIOD', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'], better: 'HIGHER' });
    expect(of('REPEAT_RATE')).toMatchObject({ version: 1, name: '重复诉求率', unit: 'RATE', facts: expect.arrayContaining(['issues']), dimensions: ['REGION', 'PERIOD', 'DEPARTMENT', 'CATEGORY', 'CHANNEL'], better: 'LOWER' });
    expect(of('REPEAT_RATE').formula).toMatch(/REPEAT_WINDOW_DAYS × 24 h .* \/ issues with a household/);
    expect(of('VISIT_COVERAGE')).toMatchObject({ version: 1, name: '走访覆盖率', unit: 'RATE', facts: expect.arrayContaining(['households', 'visits']), dimensions: ['REGION', 'PERIOD'], better: 'HIGHER' });
    expect(of('PAIRED_HOUSEHOLD_RATE')).toMatchObject({ version: 1, name: '结对覆盖率', unit: 'RATE', facts: expect.arrayContaining(['households', 'pairings']), dimensions: ['REGION', 'PERIOD'], better: 'HIGHER' });
    for (const m of ['CONTACTED_RATE', 'REPEAT_RATE', 'VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE']) {
      expect(of(m).nameEn.length).toBeGreaterThan(0);
      expect(of(m).formula).toContain(' / ');
    }
  });

  it('refuses householdTags with a measure it does not apply to, naming both', async () => {
    const q = (measures: string[]) => ({ q: { measures, from: '2025-03-01', to: '2025-03-31', householdTags: ['EXTREME_HARDSHIP'] } });
    expect(await gql.codes(METRICS, q(['SATISFIED_RATE']))).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes(METRICS, q(['VISIT_COVERAGE', 'REPEAT_RATE']))).toEqual(['BAD_USER_INPUT']);
    const refused = await gql.run(METRICS, q(['VISIT_COVERAGE', 'SATISFIED_RATE']));
    expect(refused.errors?.[0].message).toMatch(/householdTags does not apply to measure SATISFIED_RATE/);
    expect((await gql.data(METRICS, q(['VISIT_COVERAGE', 'HOUSEHOLDS_VISITED']))).metrics.rows).toHaveLength(1);
  });
});

describeStores(
  'GraphQL metrics limits',
  (store) => {
    const gql = graphqlClient(store);
    it('answers QUERY_TOO_COMPLEX past MAX_METRIC_CELLS, with the numbers in the message', async () => {
      const r = await gql.run(METRICS, { q: { measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-01', to: '2025-03-06' } });
      expect(r.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['QUERY_TOO_COMPLEX', expect.stringContaining('needs about 12 cells (rows × measures); at most 10 are allowed')],
      ]);
      const ok = await gql.data(METRICS, { q: { measures: ['VISITS', 'RESPONSES'], dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-01', to: '2025-03-05' } });
      expect(ok.metrics.rows).toHaveLength(5);
    });
  },
  { MAX_METRIC_CELLS: '10' },
);
