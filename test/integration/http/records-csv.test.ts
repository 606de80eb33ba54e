import request from 'supertest';
import { insertCounty } from '../../factories/graphql-county';
import { graphqlClient } from '../../helpers/graphql-client';
import { describeStores } from '../../helpers/stores';

/*
 * GET /api/records/<list>.csv and /api/records/drill.csv: the whole list a filter or a number
 * selects, streamed as CSV in the caller's scope, masked as the role requires.
 */

/** RFC 4180 records of a CSV text (after its BOM). */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') rec.push(field), (field = '');
    else if (ch === '\r' && s[i + 1] === '\n') rec.push(field), out.push(rec), (rec = []), (field = ''), i++;
    else field += ch;
  }
  expect(field).toBe('');
  return out;
}

/** Rows as objects by header. */
const rowsOf = (text: string) => {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describeStores('record lists as CSV', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() => insertCounty(store().ds));

  const get = async (path: string, auth?: string) => {
    const agent = request(gql.app().app).get(path).buffer(true).parse((res, cb) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => cb(null, data));
    });
    return auth ? agent.set('Authorization', auth) : agent;
  };
  const q = (o: object) => encodeURIComponent(JSON.stringify(o));

  it('streams the list a filter selects, with labels and the state as of asOf', async () => {
    const res = await get(`/api/records/issues.csv?filter=${q({ closed: true })}`, await gql.bearer('ADMIN'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="minqing-issues.csv"');
    const rows = rowsOf(res.body);
    expect(rows.map((r) => [r.id, r.status, r.statusLabel, r.categoryLabel, r.summary, r.transferCount, r.residentAnswer])).toEqual([
      ['is1', 'RESOLVED', '已办结', '社会保障', '低保申请', '1', 'YES'],
      ['is4', 'EXPLAINED', '已解释', '基础设施', '', '0', ''],
    ]);
    expect(rows[0].receivedAt).toBe('2025-03-10T02:00:00.000Z');
  });

  it('streams the list behind a number: its rows are the drill total', async () => {
    const drill = { measure: 'FALSE_CLOSURE_RATE', part: 'DENOMINATOR', from: '2025-01-01', to: '2025-12-31', asOf: '2025-03-13T21:00:00+08:00' };
    const res = await get(`/api/records/drill.csv?drill=${q(drill)}`, await gql.bearer('ADMIN'));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="minqing-FALSE_CLOSURE_RATE-denominator-2025-01-01-2025-12-31.csv"');
    const rows = rowsOf(res.body);
    const api = await gql.data('query($d: DrillInput!) { drill(input: $d) { list total issues { edges { node { id } } } } }', { d: drill });
    expect(api.drill.list).toBe('ISSUES');
    expect(rows.map((r) => r.id)).toEqual(api.drill.issues.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(rows).toHaveLength(api.drill.total);
    expect(rows.map((r) => [r.id, r.status, r.residentAnswer])).toEqual([['is2', 'RESOLVED', 'NO']]);
  });

  it('masks personal fields for an ANALYST, as GraphQL does', async () => {
    const auth = await gql.bearer('ANALYST');
    const households = rowsOf((await get('/api/records/households.csv', auth)).body);
    expect(households.map((h) => [h.id, h.headName, h.phone])).toEqual([
      ['h1', '张*', '138****5678'],
      ['h2', '李*', ''],
      ['h3', '王*', '138****5678'],
      ['h4', '赵*', '138****5678'],
    ]);
    const issues = rowsOf((await get(`/api/records/issues.csv?filter=${q({ householdId: 'h1' })}`, auth)).body);
    expect(issues.map((i) => [i.id, i.summary])).toEqual([['is1', '']]);
    const admin = rowsOf((await get('/api/records/households.csv', await gql.bearer('ADMIN'))).body);
    expect(admin[0].headName).toBe('张三');
  });

  it('keeps an OFFICER inside its subtree: other records are absent, an id named outside is 403', async () => {
    const auth = await gql.bearer('OFFICER', 't2');
    expect(rowsOf((await get('/api/records/issues.csv', auth)).body).map((r) => r.id)).toEqual(['is3']);
    expect(rowsOf((await get('/api/records/visits.csv', auth)).body).map((r) => r.id)).toEqual(['vs4']);
    const outside = await get(`/api/records/issues.csv?filter=${q({ regionId: 't1' })}`, auth);
    expect([outside.status, JSON.parse(outside.body).error]).toEqual([403, 'FORBIDDEN']);
    const household = await get(`/api/records/visits.csv?filter=${q({ householdId: 'h1' })}`, auth);
    expect(household.status).toBe(403);
    const drill = await get(`/api/records/drill.csv?drill=${q({ measure: 'VISITS', from: '2025-01-01', to: '2025-12-31', regionId: 't1' })}`, auth);
    expect(drill.status).toBe(403);
  });

  it('refuses bad requests with the error code and the field', async () => {
    const auth = await gql.bearer('ADMIN');
    const refusal = async (path: string, who = auth) => {
      const res = await get(path, who);
      const body = res.body ? JSON.parse(res.body) : {};
      return [res.status, body.error, body.argument ?? null];
    };
    expect(await refusal('/api/records/issues.csv?filter=nope')).toEqual([400, 'BAD_USER_INPUT', 'filter']);
    expect(await refusal(`/api/records/issues.csv?filter=${q({ receivedFrom: '2025-03-02', receivedTo: '2025-03-01' })}`)).toEqual([400, 'BAD_USER_INPUT', 'receivedTo']);
    expect(await refusal(`/api/records/issues.csv?filter=${q({ closed: 'yes' })}`)).toEqual([400, 'BAD_USER_INPUT', 'closed']);
    expect(await refusal(`/api/records/issues.csv?filter=${q({ channels: ['FAX'] })}`)).toEqual([400, 'BAD_USER_INPUT', 'channels']);
    expect(await refusal(`/api/records/issues.csv?filter=${q({ colour: 'red' })}`)).toEqual([400, 'BAD_USER_INPUT', 'colour']);
    expect(await refusal(`/api/records/visits.csv?filter=${q({ timeZone: 'Nowhere/Land' })}`)).toEqual([400, 'BAD_USER_INPUT', 'timeZone']);
    expect(await refusal(`/api/records/drill.csv?drill=${q({ measure: 'CLOSURE_RATE', from: '2025-02-01', to: '2025-01-01' })}`)).toEqual([400, 'BAD_USER_INPUT', 'to']);
    expect(await refusal(`/api/records/drill.csv?drill=${q({ measure: 'SATISFACTION_AVG', from: '2025-01-01', to: '2025-01-31' })}`)).toEqual([400, 'BAD_USER_INPUT', 'part']);
    expect(await refusal(`/api/records/drill.csv?drill=${q({ measure: 'NOPE', from: '2025-01-01', to: '2025-01-31' })}`)).toEqual([400, 'BAD_USER_INPUT', 'measure']);
    expect(await refusal('/api/records/drill.csv')).toEqual([400, 'BAD_USER_INPUT', 'drill']);
    expect((await refusal('/api/records/tokens.csv'))[0]).toBe(404);
    expect((await refusal('/api/records/issues.csv', await gql.bearer('INGEST')))[0]).toBe(403);
    expect((await get('/api/records/issues.csv')).status).toBe(401);
  });

  it('reads the whole list in keyset batches by id', async () => {
    const seen: string[][] = [];
    const total = await gql.app().services.records.forEachBatch('issues', { regionId: null }, {}, 2, async (nodes) => void seen.push(nodes.map((n) => n.id)));
    expect(seen).toEqual([['is1', 'is2'], ['is3', 'is4'], ['is5']]);
    expect(total).toBe(5);
  });
});
