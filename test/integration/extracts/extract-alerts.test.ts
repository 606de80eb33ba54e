import { AlertsService } from '../../../src/analytics/alerts/alerts.service';
import { ScorecardService } from '../../../src/analytics/dashboard/scorecard.service';
import { MetricsService } from '../../../src/analytics/metrics.service';
import { Scope, UNSCOPED } from '../../../src/domain/access';
import { ExtractService, extractParams, ExtractParams } from '../../../src/extracts/extract.service';
import { graphqlClient } from '../../helpers/graphql-client';
import { describeStores, TestStore } from '../../helpers/stores';
import { insertAlertsCounty } from '../../factories/alerts-county';

async function extract(store: TestStore, params: ExtractParams, scope?: Scope) {
  const h = await new ExtractService(store.ds, store.config, { chunkSize: 2 }).open(params, scope ? { scope } : {});
  let text = '';
  for await (const c of h.stream) text += c.toString();
  const rows = params.format === 'ndjson' ? text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { handle: h, text, rows, summary: await h.done };
}

describeStores('alerts extract', (store) => {
  let alerts: AlertsService;
  const gql = graphqlClient(store);
  beforeAll(async () => {
    await insertAlertsCounty(store());
    const engine = new MetricsService(store().ds, store().config);
    alerts = new AlertsService(store().ds, store().config, { engine, scorecards: new ScorecardService(store().ds, store().config, engine) });
  });

  /** The alerts query's list as extract rows. */
  const expected = async (asOf: number, scope: Scope) =>
    (await alerts.list({ asOf: new Date(asOf) }, scope)).alerts.map((a) => ({
      type: a.type,
      subjectId: a.subjectId,
      subjectKind: a.subjectKind,
      regionId: a.regionId,
      departmentId: a.departmentId,
      cadreId: a.cadreId,
      since: a.since.toISOString(),
      ageHours: a.ageHours,
    }));

  it('gives every alert as of the pull, in list order, with the columns of the dataset', async () => {
    const { rows, handle, summary } = await extract(store(), extractParams('alerts'));
    expect(summary.completed).toBe(true);
    expect(handle.range).toBeNull();
    expect(rows.length).toBeGreaterThan(10);
    expect(Object.keys(rows[0])).toEqual(['type', 'subjectId', 'subjectKind', 'regionId', 'departmentId', 'cadreId', 'since', 'ageHours']);
    expect(rows).toEqual(await expected(handle.asOf, UNSCOPED));
    // As of the pull (2026 and later): every open issue of the fixture with a dueAt is overdue by now.
    expect(rows.filter((r) => r.type === 'OVERDUE').map((r) => r.subjectId).sort()).toEqual(['iD1', 'iD2', 'iF1', 'iN1', 'iO1', 'iO2']);
    expect(rows.find((r) => r.subjectId === 'iO1')).toMatchObject({ subjectKind: 'ISSUE', regionId: 'v1', departmentId: null, since: '2025-06-15T03:59:59.999Z' });
  });

  it('applies the puller’s scope', async () => {
    const { rows, handle } = await extract(store(), extractParams('alerts'), { regionId: 't2' });
    expect(rows).toEqual(await expected(handle.asOf, { regionId: 't2' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.regionId === 'v2')).toBe(true);
  });

  it('writes CSV with Chinese labels over HTTP, and refuses incremental parameters', async () => {
    const res = await gql.http().get('/api/extracts/alerts?format=csv&labels=true');
    expect(res.status).toBe(200);
    const [header, ...lines] = res.text.trim().split('\r\n');
    expect(header).toBe('type,typeLabel,subjectId,subjectKind,subjectKindLabel,regionId,departmentId,cadreId,since,ageHours');
    expect(lines.some((l) => l.startsWith('OVERDUE,超期,iO1,ISSUE,诉求,v1,,'))).toBe(true);
    for (const q of ['from=2025-01-01', 'updatedSince=2025-01-01T00:00:00Z', 'limit=10']) {
      const bad = await gql.http().get(`/api/extracts/alerts?${q}`);
      expect([q, bad.status, bad.body.error]).toEqual([q, 400, 'BAD_USER_INPUT']);
    }
  });
});
