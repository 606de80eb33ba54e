import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { describeStores } from '../../helpers/stores';

/**
 * GraphQL over HTTP (api.md "Several processes"): GET queries with variables for Bearer tokens,
 * mutations by POST only, cookie sessions still protected against cross-site requests, and the
 * `graphql-http` package's conformance audits of the spec.
 */

/**
 * Audits we do not meet, by id, and why (README "GraphQL over HTTP"): for `application/json`
 * the spec recommends 200 for a document that fails to parse or validate and for variables that
 * fail to coerce; Apollo Server answers 400, and our limits are validation rules whose answer
 * api.md fixes as `QUERY_TOO_COMPLEX` with HTTP 400.
 */
const NOT_MET = ['572B', 'FDE2', '7B9B'];

describeStores('GraphQL over HTTP', (store) => {
  let app: MinqingApp;
  let server: Server;
  let url: string;
  let bearer: string;

  beforeAll(async () => {
    app = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
    bearer = `Bearer ${(await app.auth.createToken({ role: 'ANALYST', name: 'connector' })).token}`;
    await app.auth.createUser({ username: 'reader1', password: 'reader-password-1', role: 'ANALYST' });
    server = createServer(app.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server?.close();
    await app?.stop();
  });

  it('passes every MUST audit of graphql-http; the recommendations it misses are the documented ones', async () => {
    const withToken = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', bearer);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url, fetchFn: withToken });
    expect(audits.length).toBeGreaterThan(40);
    const results = [];
    for (const audit of audits) results.push(await audit.fn());
    const failed = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.status === 'warn').map((r) => r.id).sort()).toEqual([...NOT_MET].sort());
  });

  it('answers a GET query with variables and an operation name, sent with a Bearer token', async () => {
    const res = await request(app.app)
      .get('/graphql')
      .query({
        query: 'query Count($first: Int) { regions(first: $first) { totalCount } } query Other { me { role } }',
        variables: JSON.stringify({ first: 3 }),
        operationName: 'Count',
      })
      .set('Authorization', bearer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { regions: { totalCount: 0 } } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a mutation sent by GET (405), and it changes nothing', async () => {
    const { record } = await app.auth.createToken({ role: 'INGEST', name: 'kept' });
    const admin = `Bearer ${(await app.auth.createToken({ role: 'ADMIN', name: 'admin' })).token}`;
    const res = await request(app.app).get('/graphql').query({ query: `mutation { revokeToken(id: "${record.id}") { id } }` }).set('Authorization', admin);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.errors[0].message).toMatch(/GET requests only support query operations/);
    expect((await app.auth.listTokens()).find((t) => t.id === record.id)?.revokedAt).toBeNull();
  });

  it('keeps cookie sessions CSRF-safe: a cookie GET needs X-CSRF-Token (or a preflight header), a cookie POST needs the token', async () => {
    const login = await request(app.app).post('/auth/login').send({ username: 'reader1', password: 'reader-password-1' });
    const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
    const csrf = login.body.csrfToken as string;
    const query = { query: '{ me { role } }' };
    const bare = await request(app.app).get('/graphql').query(query).set('Cookie', cookie);
    expect([bare.status, bare.body.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    const withToken = await request(app.app).get('/graphql').query(query).set({ Cookie: cookie, 'X-CSRF-Token': csrf });
    expect([withToken.status, withToken.body]).toEqual([200, { data: { me: { role: 'ANALYST' } } }]);
    const preflight = await request(app.app).get('/graphql').query(query).set({ Cookie: cookie, 'apollo-require-preflight': 'true' });
    expect(preflight.status).toBe(200);
    const post = await request(app.app).post('/graphql').send(query).set('Cookie', cookie);
    expect([post.status, post.body.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    // A Bearer token needs no such header: no browser attaches it to a cross-site request.
    const token = await request(app.app).get('/graphql').query(query).set('Authorization', bearer);
    expect(token.status).toBe(200);
  });
});
