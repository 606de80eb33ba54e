import request from 'supertest';
import { UNSCOPED } from '../../../../src/domain/access';
import { importReportCounty, REPORT_AS_OF, REPORT_MONTH } from '../../../factories/report-county';
import { graphqlClient } from '../../../helpers/graphql-client';
import { describeStores } from '../../../helpers/stores';

const MV = 'value numerator denominator low high suppressed';
const REPORT = `query Report($month: String!, $level: RegionLevel!, $measure: Measure, $regionId: ID, $asOf: DateTime, $version: Int) {
  monthlyReport(month: $month, level: $level, measure: $measure, regionId: $regionId, asOf: $asOf, version: $version) {
    title month level measure better asOf previousMonth yearAgoMonth region { id }
    rows { region { id name } rank tieBand value { ${MV} } previous { rank value { value } } yearAgo { rank value { value } } rankChange }
    bottom { region { name } rank }
    departments { department { name } rank tieBand issues transferRate { ${MV} } avgTransfers { value } onTimeRate { value } falseClosureRate { value } contactedRate { value } }
    vetoedCadres { cadre { id name } satisfaction { value } vetoed }
    behindPaceCadres { cadre { id name } stayDays stayPace behindPace }
    festivalRegions { region { name } share { value } flagged }
    published { version publishedBy { name role } }
  }
}`;

/** monthlyReport, monthlyReports and publishMonthlyReport through GraphQL, and the dashboard's new ranking change and department panel. */
describeStores('monthly report over GraphQL', (store) => {
  const client = graphqlClient(store);
  beforeAll(async () => {
    await importReportCounty(client.app().services.importer);
  });
  const vars = { month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', asOf: REPORT_AS_OF.toISOString() };

  it('answers the report with names, every value a MetricValue, the same numbers as the service', async () => {
    const { monthlyReport: r } = await client.data(REPORT, vars);
    expect(r).toMatchObject({ title: '关于2025年3月群众诉求办理情况的通报', month: '2025-03', measure: 'SATISFIED_RATE', better: 'HIGHER', previousMonth: '2025-02', yearAgoMonth: '2024-03', region: null, published: null });
    expect(r.rows.map((x: any) => [x.region.name, x.rank, x.tieBand, x.value.value, x.previous.rank, x.yearAgo.rank, x.rankChange])).toEqual([
      ['东镇', 1, 1, 1, 4, 1, 3],
      ['西镇', 2, 2, 0.6, 1, 5, -1],
      ['南镇', 2, 2, 0.6, 5, 3, null],
      ['北镇', 4, 2, 0.3, 2, 3, -2],
      ['中镇', 5, 3, null, 3, 2, null],
    ]);
    expect(r.rows[4].value).toEqual({ value: null, numerator: null, denominator: null, low: null, high: null, suppressed: true });
    expect(r.bottom.map((x: any) => x.region.name)).toEqual(['西镇', '南镇', '北镇']);
    expect(r.departments.map((d: any) => [d.department?.name ?? null, d.rank, d.issues, d.transferRate.value, d.avgTransfers.value])).toEqual([
      ['民政局', 1, 2, 0, 0],
      ['人社局', 1, 1, 0, 0],
      ['住建局', 3, 2, 1, 1.5],
      [null, null, 1, 0, 0],
    ]);
    expect(r.vetoedCadres.map((c: any) => [c.cadre.name, c.vetoed])).toEqual([['周干部', true]]);
    expect(r.behindPaceCadres.map((c: any) => c.cadre.id)).toEqual(['cC', 'cE', 'cF', 'cB']);
    expect(r.festivalRegions).toEqual([{ region: { name: '南镇' }, share: { value: 0.8 }, flagged: true }]);

    const direct = await client.app().services.reports.render({ ...vars, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', asOf: REPORT_AS_OF }, UNSCOPED);
    expect(r.rows.map((x: any) => x.value)).toEqual(direct.rows.map(({ value: { measure: _m, ...v } }) => v));
  });

  it('defaults to THREE_RATE_SCORE and covers an OFFICER’s subtree only', async () => {
    const { monthlyReport: r } = await client.data(REPORT, { month: REPORT_MONTH, level: 'TOWNSHIP', asOf: REPORT_AS_OF.toISOString() });
    expect(r.measure).toBe('THREE_RATE_SCORE');
    expect(r.rows.map((x: any) => [x.region.id, x.value.value])).toEqual([['t1', 70], ['t2', 50], ['t3', null], ['t4', null], ['t5', null]]);
    const officer = await client.data(REPORT, vars, { regionId: 't2' });
    expect(officer.monthlyReport.rows.map((x: any) => [x.region.id, x.rank])).toEqual([['t2', 1]]);
    expect(await client.codes(REPORT, { ...vars, regionId: 't1' }, { regionId: 't2' })).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument', async () => {
    const refusal = async (v: Record<string, unknown>) => {
      const res = await client.run(REPORT, { ...vars, ...v });
      expect(res.data ?? null).toBeNull();
      return [res.errors?.[0].extensions?.code, res.errors?.[0].extensions?.argument];
    };
    expect(await refusal({ month: '2026-13' })).toEqual(['BAD_USER_INPUT', 'month']);
    expect(await refusal({ level: 'GROUP' })).toEqual(['BAD_USER_INPUT', 'level']);
    expect(await refusal({ version: 1 })).toEqual(['BAD_USER_INPUT', 'asOf']);
    expect(await refusal({ asOf: null, version: 0 })).toEqual(['BAD_USER_INPUT', 'version']);
  });

  it('publishes (ADMIN only), lists who published and when, and reads a version as published', async () => {
    const PUBLISH = `mutation($month: String!, $level: RegionLevel!, $measure: Measure) {
      publishMonthlyReport(month: $month, level: $level, measure: $measure) { id version month level measure asOf publishedAt publishedBy { name role kind } region { id } }
    }`;
    const key = { month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE' };
    // An ANALYST may read but not publish.
    const analyst = await client.bearer('ANALYST');
    const refused = await request(client.app().app).post('/graphql').set('Authorization', analyst).send({ query: PUBLISH, variables: key });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await client.data('{ monthlyReports { id } }')).monthlyReports).toEqual([]);

    const before = Date.now();
    const { publishMonthlyReport: p } = await client.data(PUBLISH, key);
    expect(p).toMatchObject({ version: 1, month: '2025-03', level: 'TOWNSHIP', measure: 'SATISFIED_RATE', region: null, publishedBy: { name: 'test client', role: 'ADMIN', kind: 'token' } });
    expect(Date.parse(p.asOf)).toBeGreaterThanOrEqual(before);
    expect(p.publishedAt).toBe(p.asOf);
    const { publishMonthlyReport: p2 } = await client.data(PUBLISH, key);
    expect(p2.version).toBe(2);

    const { monthlyReports } = await client.data('{ monthlyReports(month: "2025-03") { id version publishedBy { name } publishedAt report { measure rows { rank } published { version } } } }');
    expect(monthlyReports.map((x: any) => [x.id, x.version, x.publishedBy.name, x.report.published.version])).toEqual([
      [p2.id, 2, 'test client', 2],
      [p.id, 1, 'test client', 1],
    ]);
    const { monthlyReport: v1 } = await client.data(REPORT, { ...key, version: 1 });
    expect(v1.published).toEqual({ version: 1, publishedBy: { name: 'test client', role: 'ADMIN' } });
    expect(v1.asOf).toBe(p.asOf);
    const { monthlyReport: live } = await client.data(REPORT, { ...key, asOf: p.asOf });
    expect({ ...v1, published: null }).toEqual(live);
    expect(await client.codes(REPORT, { ...key, version: 9 })).toEqual(['NOT_FOUND']);
    // ANALYST reads published reports.
    const read = await request(client.app().app).post('/graphql').set('Authorization', analyst).send({ query: '{ monthlyReports { version } }' });
    expect(read.body.data.monthlyReports).toEqual([{ version: 2 }, { version: 1 }]);
  });

  it('gives the dashboard ranking any measure, best first, with the place the month before; and the department panel', async () => {
    const Q = `query($filter: DashboardFilter!, $measure: Measure!) {
      dashboard(filter: $filter) {
        ranking(level: TOWNSHIP, measure: $measure) { region { id } rank tieBand value { value } previous { rank value { value } } rankChange }
        departments { department { id } rank tieBand rankedBy issues transferRate { value } avgTransfers { value } onTimeRate { value } falseClosureRate { value } contactedRate { value } }
        byOnTime: departments(rankBy: ON_TIME_RATE) { department { id } rank }
      }
    }`;
    const filter = { from: '2025-03-01', to: '2025-03-31', asOf: REPORT_AS_OF.toISOString() };
    const { dashboard: d } = await client.data(Q, { filter, measure: 'DISSATISFIED_RATE' });
    expect(d.ranking.map((e: any) => [e.region.id, e.rank, e.value.value, e.previous.rank, e.previous.value.value, e.rankChange])).toEqual([
      ['t1', 1, 0, 4, 0.6, 3],
      ['t4', 2, 0.1, 3, 0.2, 1],
      ['t2', 3, 0.4, 1, 0, -2],
      ['t3', 3, 0.4, 5, null, null],
      ['t5', 5, null, 1, 0, null],
    ]);
    expect(d.departments.map((x: any) => [x.department?.id ?? null, x.rank, x.tieBand, x.rankedBy, x.issues, x.onTimeRate.value, x.contactedRate.value])).toEqual([
      ['dA', 1, 1, 'TRANSFER_RATE', 2, 1, 1],
      ['dC', 1, 1, 'TRANSFER_RATE', 1, 0, null],
      ['dB', 3, 1, 'TRANSFER_RATE', 2, 0.5, 0.5],
      [null, null, null, 'TRANSFER_RATE', 1, null, null],
    ]);
    // ON_TIME_RATE, higher is better: dA 2/2, dB 1/2, dC 0/1.
    expect(d.byOnTime.map((x: any) => [x.department?.id ?? null, x.rank])).toEqual([['dA', 1], ['dB', 2], ['dC', 3], [null, null]]);
    const bad = await client.run(`query($filter: DashboardFilter!) { dashboard(filter: $filter) { departments(rankBy: VISITS) { rank } } }`, { filter });
    expect([bad.errors?.[0].extensions?.code, bad.errors?.[0].extensions?.argument]).toEqual(['BAD_USER_INPUT', 'rankBy']);
  });
});
