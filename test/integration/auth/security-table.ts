import request from 'supertest';
import type { MinqingApp } from '../../../src/app';
import type { Role } from '../../../src/domain/access';

/**
 * The security table: every attempt a caller might make to read what is not theirs, write
 * without right, or wear the service down, with the exact answer expected. The test runs each
 * row on both stores and checks the status and code, that the body names nothing foreign, and
 * that no record table changed. README "## Security" lists these rows.
 *
 * Data: test/factories/graphql-county.ts. The OFFICER rows act for 东镇 (t1); everything
 * under 西镇 (t2: v3, g4, h4 赵六, c3 赵干部, is3, vs4, s3 "很好") and the county itself
 * (c4 县干部, 测试县) is foreign to it.
 */

export interface Harness {
  app: MinqingApp;
  /** A fresh `Authorization` header for a new token of this role. */
  as(role: Role, regionId?: string | null): Promise<string>;
  /** POST /graphql with these headers. */
  gql(headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<request.Response>;
  /** Signs `username` in; returns the cookie header and the CSRF token. */
  login(username: string, password: string): Promise<{ cookie: string; csrf: string }>;
  /** A session that expired already (made with a 1 ms lifetime). */
  expiredSession(): Promise<string>;
}

export interface Attempt {
  description: string;
  /** `<HTTP status> <code>`; `OK` when the answer carries no error code. */
  expected: string;
  run(h: Harness): Promise<request.Response>;
  /** Strings the body must not contain (besides the foreign markers every row checks). */
  mustNotContain?: string[];
  /** Strings the body must contain (proof the check looked at real data). */
  mustContain?: string[];
  /** Skip the foreign-marker check (rows whose caller may see the whole county). */
  wholeCounty?: boolean;
}

/** Names and ids of 西镇 and the county that an OFFICER of 东镇 must never see. */
export const FOREIGN_MARKERS = ['赵六', '西镇', '西村', '四组', '赵干部', '县干部', '测试县', '很好', '"h4"', '"c3"', '"c4"', '"is3"', '"vs4"', '"s3"', '"t2"', '"v3"', '"g4"', '"cty"'];
/** Personal data in the fixtures, unmasked: must not reach ANALYST, EXTRACT or INGEST. */
export const PII = ['张三', '李四', '王五', '赵六', '13812345678', '13800000001', '低保申请', '还没解决', '很好', '驻村三天', '转人社局'];

const T1 = 't1';
const bearer = (v: string) => ({ Authorization: v });
const INJECTIONS = ["' OR 1=1 --", '%', '\\', '_', '"; DROP TABLE households; --', '東镇\u0000', '🏠𠀀'];

const anon = (h: Harness, query: string) => h.gql({}, query);
const officer = async (h: Harness, query: string, variables?: Record<string, unknown>) => h.gql(bearer(await h.as('OFFICER', T1)), query, variables);
const analyst = async (h: Harness, query: string, variables?: Record<string, unknown>) => h.gql(bearer(await h.as('ANALYST')), query, variables);

export const SECURITY_ATTEMPTS: Attempt[] = [
  // ── Credentials ──────────────────────────────────────────────────────────────────────────
  { description: 'GraphQL query with no credentials', expected: '401 UNAUTHENTICATED', run: (h) => anon(h, '{ households { edges { node { id } } } }') },
  { description: 'Introspection with no credentials', expected: '401 UNAUTHENTICATED', run: (h) => anon(h, '{ __schema { types { name } } }') },
  {
    description: 'GET /graphql with no credentials',
    expected: '401 UNAUTHENTICATED',
    run: (h) => request(h.app.app).get('/graphql').query({ query: '{ regions { totalCount } }' }).set('apollo-require-preflight', 'true'),
  },
  {
    description: 'Import with no credentials',
    expected: '401 UNAUTHENTICATED',
    run: (h) => request(h.app.app).post('/api/import/departments').set('Content-Type', 'application/x-ndjson').send('{"id":"dx","name":"x"}\n'),
  },
  { description: 'Extract with no credentials', expected: '401 UNAUTHENTICATED', run: (h) => request(h.app.app).get('/api/extracts/households') },
  { description: 'GET /auth/me with no credentials', expected: '401 UNAUTHENTICATED', run: (h) => request(h.app.app).get('/auth/me') },
  { description: 'A made-up Bearer token', expected: '401 UNAUTHENTICATED', run: (h) => h.gql(bearer('Bearer mq_' + 'A'.repeat(43)), '{ regions { totalCount } }') },
  { description: 'A Basic authorization header', expected: '401 UNAUTHENTICATED', run: (h) => h.gql(bearer('Basic YWRtaW46YWRtaW4='), '{ regions { totalCount } }') },
  {
    description: 'A revoked token',
    expected: '401 UNAUTHENTICATED',
    run: async (h) => {
      const { token, record } = await h.app.auth.createToken({ role: 'ADMIN', name: 'to revoke' });
      await h.app.auth.revokeToken(record.id);
      return h.gql(bearer(`Bearer ${token}`), '{ households { edges { node { headName } } } }');
    },
  },
  {
    description: 'An expired session cookie',
    expected: '401 UNAUTHENTICATED',
    run: async (h) => h.gql({ Cookie: await h.expiredSession() }, '{ regions { totalCount } }'),
  },
  {
    description: "A disabled user's session cookie",
    expected: '401 UNAUTHENTICATED',
    run: async (h) => {
      const { cookie } = await h.login('gone1', 'gone-password-1');
      const user = (await h.app.auth.listUsers()).find((u) => u.username === 'gone1')!;
      await h.app.auth.disableUser(user.id);
      return request(h.app.app).get('/graphql').query({ query: '{ regions { totalCount } }' }).set('Cookie', cookie).set('apollo-require-preflight', 'true');
    },
  },
  {
    description: 'A signed-out session cookie',
    expected: '401 UNAUTHENTICATED',
    run: async (h) => {
      const { cookie } = await h.login('analyst1', 'analyst-password-1');
      await request(h.app.app).post('/auth/logout').set('Cookie', cookie);
      return request(h.app.app).get('/auth/me').set('Cookie', cookie);
    },
  },
  {
    description: 'Sign-in with a wrong password',
    expected: '401 UNAUTHENTICATED',
    run: (h) => request(h.app.app).post('/auth/login').send({ username: 'analyst1', password: 'not-the-password' }),
  },
  {
    description: 'Cookie-authenticated POST /graphql without the CSRF header',
    expected: '403 FORBIDDEN',
    run: async (h) => {
      const { cookie } = await h.login('analyst1', 'analyst-password-1');
      return h.gql({ Cookie: cookie }, '{ regions { totalCount } }');
    },
  },
  {
    description: 'Cookie-authenticated import with a wrong CSRF header',
    expected: '403 FORBIDDEN',
    run: async (h) => {
      const { cookie } = await h.login('admin1', 'admin-password-1');
      return request(h.app.app)
        .post('/api/import/departments')
        .set({ Cookie: cookie, 'X-CSRF-Token': 'guessed', 'Content-Type': 'application/x-ndjson' })
        .send('{"id":"dx","name":"x"}\n');
    },
  },
  {
    description: 'Cookie-authenticated GET /graphql without the CSRF header (or a preflight header)',
    expected: '403 FORBIDDEN',
    run: async (h) => {
      const { cookie } = await h.login('analyst1', 'analyst-password-1');
      return request(h.app.app).get('/graphql').query({ query: '{ regions { totalCount } }' }).set('Cookie', cookie);
    },
  },
  {
    description: 'A mutation sent by GET with a Bearer token',
    expected: '405 BAD_REQUEST',
    run: async (h) => {
      const { record } = await h.app.auth.createToken({ role: 'ANALYST', name: 'stays' });
      return request(h.app.app)
        .get('/graphql')
        .query({ query: `mutation { revokeToken(id: "${record.id}") { id revokedAt } }` })
        .set(bearer(await h.as('ADMIN')));
    },
  },
  {
    description: 'A GET query with variables and a Bearer token (HTTP caches, BI connectors)',
    expected: '200 OK',
    run: async (h) =>
      request(h.app.app)
        .get('/graphql')
        .query({ query: 'query($id: ID!) { region(id: $id) { name } }', variables: JSON.stringify({ id: 't1' }) })
        .set(bearer(await h.as('ANALYST'))),
    mustContain: ['东镇'],
    wholeCounty: true,
  },
  // ── Roles ────────────────────────────────────────────────────────────────────────────────
  {
    description: 'INGEST reads households over GraphQL',
    expected: '200 FORBIDDEN',
    run: async (h) => h.gql(bearer(await h.as('INGEST')), '{ households { edges { node { id headName } } } }'),
  },
  { description: 'INGEST pulls an extract', expected: '403 FORBIDDEN', run: async (h) => request(h.app.app).get('/api/extracts/households').set(bearer(await h.as('INGEST'))) },
  ...(['ANALYST', 'OFFICER', 'EXTRACT'] as const).map(
    (role): Attempt => ({
      description: `${role} imports departments`,
      expected: '403 FORBIDDEN',
      run: async (h) =>
        request(h.app.app)
          .post('/api/import/departments')
          .set(bearer(await h.as(role, role === 'OFFICER' ? T1 : null)))
          .set('Content-Type', 'application/x-ndjson')
          .send('{"id":"dx","name":"x"}\n'),
    }),
  ),
  ...(['ANALYST', 'OFFICER'] as const).map(
    (role): Attempt => ({
      description: `${role} pulls a households extract`,
      expected: '403 FORBIDDEN',
      run: async (h) => request(h.app.app).get('/api/extracts/households').set(bearer(await h.as(role, role === 'OFFICER' ? T1 : null))),
    }),
  ),
  { description: 'ANALYST lists users', expected: '200 FORBIDDEN', run: (h) => analyst(h, '{ users { id username } }'), mustNotContain: ['admin1'] },
  {
    description: 'OFFICER creates an ADMIN token',
    expected: '200 FORBIDDEN',
    run: (h) => officer(h, 'mutation { createToken(input: { role: ADMIN, name: "mine" }) { token } }'),
    mustNotContain: ['mq_'],
  },
  {
    description: 'EXTRACT revokes a token',
    expected: '200 FORBIDDEN',
    run: async (h) => {
      const { record } = await h.app.auth.createToken({ role: 'ANALYST', name: 'victim' });
      return h.gql(bearer(await h.as('EXTRACT')), 'mutation($id: ID!) { revokeToken(id: $id) { id revokedAt } }', { id: record.id });
    },
  },
  // ── The audit trail and exports ──────────────────────────────────────────────────────────
  ...(['ANALYST', 'OFFICER', 'EXTRACT'] as const).map(
    (role): Attempt => ({
      description: `${role} reads the audit trail`,
      expected: '200 FORBIDDEN',
      run: async (h) => h.gql(bearer(await h.as(role, role === 'OFFICER' ? T1 : null)), '{ auditLog { totalCount edges { node { principalName operation } } } }'),
      mustNotContain: ['security ADMIN'],
    }),
  ),
  { description: 'EXTRACT pulls the audit_log extract', expected: '403 FORBIDDEN', run: async (h) => request(h.app.app).get('/api/extracts/audit_log').set(bearer(await h.as('EXTRACT'))) },
  {
    description: 'ADMIN tries to import into the audit trail',
    expected: '404 NOT_FOUND',
    run: async (h) =>
      request(h.app.app).post('/api/import/audit_log').set(bearer(await h.as('ADMIN'))).set('Content-Type', 'application/x-ndjson').send('{"id":"x","records":0}\n'),
    wholeCounty: true,
  },
  {
    description: 'A CSV export with no credentials',
    expected: '401 UNAUTHENTICATED',
    run: (h) => request(h.app.app).post('/api/exports/csv').send({ name: 'x', header: ['a'], rows: [] }),
  },
  {
    description: 'INGEST exports a CSV file',
    expected: '403 FORBIDDEN',
    run: async (h) => request(h.app.app).post('/api/exports/csv').set(bearer(await h.as('INGEST'))).send({ name: 'x', header: ['a'], rows: [] }),
  },
  {
    description: 'Cookie-authenticated CSV export without the CSRF header',
    expected: '403 FORBIDDEN',
    run: async (h) => {
      const { cookie } = await h.login('analyst1', 'analyst-password-1');
      return request(h.app.app).post('/api/exports/csv').set('Cookie', cookie).send({ name: 'x', header: ['a'], rows: [] });
    },
  },
  // ── Reports and record lists ─────────────────────────────────────────────────────────────
  {
    description: 'ANALYST publishes a monthly report',
    expected: '200 FORBIDDEN',
    run: (h) => analyst(h, 'mutation { publishMonthlyReport(month: "2025-03", level: TOWNSHIP) { version } }'),
  },
  {
    description: 'INGEST downloads the monthly report workbook',
    expected: '403 FORBIDDEN',
    run: async (h) => request(h.app.app).get('/api/reports/monthly.xlsx?month=2025-03&level=TOWNSHIP').set(bearer(await h.as('INGEST'))),
  },
  {
    description: 'OFFICER of 东镇 downloads the monthly report of another region',
    expected: '403 FORBIDDEN',
    run: async (h) => request(h.app.app).get('/api/reports/monthly.xlsx?month=2025-03&level=VILLAGE&regionId=t2').set(bearer(await h.as('OFFICER', T1))),
  },
  {
    description: 'INGEST downloads a record list as CSV',
    expected: '403 FORBIDDEN',
    run: async (h) => request(h.app.app).get('/api/records/households.csv').set(bearer(await h.as('INGEST'))),
  },
  {
    description: 'OFFICER of 东镇 downloads the households of another region as CSV',
    expected: '403 FORBIDDEN',
    run: async (h) => request(h.app.app).get(`/api/records/households.csv?filter=${encodeURIComponent('{"regionId":"t2"}')}`).set(bearer(await h.as('OFFICER', T1))),
  },
  {
    description: 'OFFICER of 东镇 drills into a number of another region',
    expected: '200 FORBIDDEN',
    run: (h) => officer(h, '{ drill(input: { measure: VISITS, from: "2025-01-01", to: "2025-12-31", regionId: "t2" }) { total } }'),
  },
  {
    description: 'INGEST reads the worklists (预警)',
    expected: '200 FORBIDDEN',
    run: async (h) => h.gql(bearer(await h.as('INGEST')), '{ alerts { totalCount } }'),
  },
  {
    description: 'OFFICER of 东镇 lists the worklists of another region',
    expected: '200 FORBIDDEN',
    run: (h) => officer(h, '{ alerts(regionId: "t2") { totalCount edges { node { id } } } }'),
  },
  {
    description: 'OFFICER of 东镇 lists its worklists with their subjects, as of now and as of 2025',
    expected: '200 OK',
    run: (h) =>
      officer(
        h,
        `{ now: alerts { totalCount countsByType { type count } edges { node { id region { name } subject { ... on Issue { id summary } ... on Household { headName } ... on Cadre { name } ... on Pairing { id } } } } }
           then: alerts(asOf: "2025-12-31T00:00:00Z") { totalCount edges { node { id region { name } cadre { name } department { name } } } } }`,
      ),
    mustContain: ['"countsByType"'],
  },
  {
    description: 'INGEST asks who it is (`me` is open to every signed-in role)',
    expected: '200 OK',
    run: async (h) => h.gql(bearer(await h.as('INGEST')), '{ me { role } }'),
    mustContain: ['"INGEST"'],
  },
  {
    description: 'INGEST records a household again and follows it to its region and pairings',
    expected: '200 FORBIDDEN',
    run: async (h) =>
      h.gql(
        bearer(await h.as('INGEST')),
        `mutation { upsertHousehold(input: { id: "h1", regionId: "g1", headName: "张三", phone: "13812345678", members: 2, tags: [LOW_INCOME, ELDERLY_ALONE] })
           { outcome household { id region { name children { name } } pairings { cadre { name } } } } }`,
      ),
    mustNotContain: ['一组', '李镇长'],
  },
  // ── Scope: ids outside an OFFICER's subtree ──────────────────────────────────────────────
  ...(
    [
      ['household', 'h4', '{ household(id: "h4") { id headName } }'],
      ['cadre', 'c3', '{ cadre(id: "c3") { id name } }'],
      ['county cadre', 'c4', '{ cadre(id: "c4") { id name } }'],
      ['issue', 'is3', '{ issue(id: "is3") { id summary } }'],
      ['region', 't2', '{ region(id: "t2") { id name } }'],
      ['parent region', 'cty', '{ region(id: "cty") { id name } }'],
    ] as const
  ).map(
    ([what, , query]): Attempt => ({ description: `OFFICER of 东镇 looks up a ${what} of another region by id`, expected: '200 FORBIDDEN', run: (h) => officer(h, query) }),
  ),
  ...(
    [
      ['households by region', '{ households(regionId: "t2") { totalCount edges { node { id } } } }'],
      ['visits by household', '{ visits(filter: { householdId: "h4" }) { totalCount edges { node { id } } } }'],
      ['survey responses by cadre', '{ surveyResponses(filter: { cadreId: "c3" }) { edges { node { id comment } } } }'],
      ['pairings by household', '{ pairings(householdId: "h4") { edges { node { id } } } }'],
      ['issues by region', '{ issues(filter: { regionId: "g4" }) { edges { node { id } } } }'],
      ['child regions', '{ regions(parentId: "t2") { edges { node { id name } } } }'],
    ] as const
  ).map(([what, query]): Attempt => ({ description: `OFFICER of 东镇 filters ${what} of another region`, expected: '200 FORBIDDEN', run: (h) => officer(h, query) })),
  {
    description: 'OFFICER of 东镇 follows pairings to a county cadre (nested relation)',
    expected: '200 OK',
    run: (h) => officer(h, '{ pairings { edges { node { id cadre { id name } household { id } } } } }'),
    mustContain: ['"p5"'],
  },
  {
    description: 'OFFICER of 东镇 climbs from its township to the county (parent, ancestors)',
    expected: '200 OK',
    run: (h) => officer(h, '{ region(id: "t1") { name parent { id name } ancestors { id name } } }'),
    mustContain: ['东镇'],
  },
  {
    description: 'OFFICER of 东镇 lists households, issues, responses, regions, cadres, visits (connections)',
    expected: '200 OK',
    run: (h) =>
      officer(
        h,
        `{ households { totalCount edges { node { id headName } } } issues { totalCount edges { node { id } } }
           surveyResponses { edges { node { id comment } } } regions(first: 500) { edges { node { id name } } }
           cadres { edges { node { id name } } } visits { edges { node { id cadre { name } } } } }`,
      ),
    mustContain: ['张三', '"is1"', '还没解决'],
  },
  {
    description: 'OFFICER of 东镇 asks for metrics of another region',
    expected: '200 FORBIDDEN',
    run: (h) => officer(h, '{ metrics(query: { from: "2025-01-01", to: "2025-12-31", measures: [ISSUES_RECEIVED], regionId: "t2" }) { rows { values { value } } } }'),
  },
  {
    description: 'OFFICER of 东镇 counts issues county-wide (the aggregate silently covers its subtree: 4, not 5)',
    expected: '200 OK',
    run: (h) => officer(h, '{ metrics(query: { from: "2025-01-01", to: "2025-12-31", measures: [ISSUES_RECEIVED] }) { rows { values { measure value } } } }'),
    mustContain: ['{"measure":"ISSUES_RECEIVED","value":4}'],
  },
  // ── Personal data ────────────────────────────────────────────────────────────────────────
  {
    description: 'ANALYST reads household names and phones (masked)',
    expected: '200 OK',
    run: (h) => analyst(h, '{ household(id: "h1") { headName phone } cadre(id: "c1") { phone } }'),
    mustContain: ['"张*"', '"138****5678"', '"138****0001"'],
    mustNotContain: PII,
    wholeCounty: true,
  },
  {
    description: 'ANALYST reads issue summaries, comments and notes (withheld)',
    expected: '200 OK',
    run: (h) =>
      analyst(
        h,
        '{ issue(id: "is1") { summary events { note } } surveyResponses { edges { node { comment } } } visits { edges { node { note } } } }',
      ),
    mustContain: ['"summary":null'],
    mustNotContain: PII,
    wholeCounty: true,
  },
  {
    description: 'EXTRACT pulls households as CSV (masked)',
    expected: '200 OK',
    run: async (h) => request(h.app.app).get('/api/extracts/households?format=csv').set(bearer(await h.as('EXTRACT'))),
    mustContain: ['张*'],
    mustNotContain: PII,
    wholeCounty: true,
  },
  {
    description: 'EXTRACT pulls survey responses and issue facts as NDJSON (withheld)',
    expected: '200 OK',
    run: async (h) => {
      const auth = bearer(await h.as('EXTRACT'));
      const a = await request(h.app.app).get('/api/extracts/survey_responses?format=ndjson').set(auth);
      const b = await request(h.app.app).get('/api/extracts/issue_facts?format=ndjson').set(auth);
      const c = await request(h.app.app).get('/api/extracts/visits?format=ndjson').set(auth);
      return Object.assign(a, { text: a.text + b.text + c.text });
    },
    mustContain: ['"s2"'],
    mustNotContain: PII,
    wholeCounty: true,
  },
  {
    description: 'OFFICER reads names and phones in its own subtree (unmasked)',
    expected: '200 OK',
    run: (h) => officer(h, '{ household(id: "h1") { headName phone } }'),
    mustContain: ['张三', '13812345678'],
  },
  // ── Injection strings in every filter ────────────────────────────────────────────────────
  ...INJECTIONS.map(
    (s): Attempt => ({
      description: `OFFICER of 东镇 sends ${JSON.stringify(s)} as every id filter`,
      expected: '200 OK',
      run: (h) =>
        officer(
          h,
          `query($s: ID!) {
             households(regionId: $s) { totalCount } cadres(regionId: $s) { totalCount } regions(parentId: $s) { totalCount }
             pairings(cadreId: $s, householdId: $s) { totalCount }
             visits(filter: { regionId: $s, cadreId: $s, householdId: $s }) { totalCount }
             issues(filter: { regionId: $s, householdId: $s }) { totalCount }
             surveyResponses(filter: { regionId: $s, cadreId: $s, householdId: $s, issueId: $s }) { totalCount }
             household(id: $s) { id } issue(id: $s) { id } region(id: $s) { id } cadre(id: $s) { id }
           }`,
          { s },
        ),
      mustContain: ['"totalCount":0', '"household":null'],
    }),
  ),
  {
    description: 'A forged paging cursor',
    expected: '200 BAD_USER_INPUT',
    run: (h) => analyst(h, '{ households(after: "JyBPUiAxPTEgLS0") { totalCount } }'),
  },
  // ── Limits ───────────────────────────────────────────────────────────────────────────────
  {
    description: 'A query nested 12 levels deep',
    expected: '400 QUERY_TOO_COMPLEX',
    run: (h) => analyst(h, '{ region(id: "t1") { children { children { children { children { children { children { children { children { children { children { id } } } } } } } } } } } }'),
  },
  {
    description: 'A query with 40 aliases',
    expected: '400 QUERY_TOO_COMPLEX',
    run: (h) => analyst(h, `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: region(id: "t1") { id }`).join(' ')} }`),
  },
  {
    description: 'A wide query whose cost (with its variables) is over the limit',
    expected: '400 QUERY_TOO_COMPLEX',
    run: (h) =>
      analyst(h, 'query($n: Int) { households(first: $n) { edges { node { pairings { household { pairings { household { pairings { id } } } } } } } } }', { n: 500 }),
  },
  { description: 'A page of 501 rows', expected: '200 BAD_USER_INPUT', run: (h) => analyst(h, '{ households(first: 501) { totalCount } }') },
  {
    description: 'A GraphQL body over MAX_BODY_BYTES',
    expected: '413 QUERY_TOO_COMPLEX',
    run: async (h) => h.gql(bearer(await h.as('ANALYST')), `{ regions { totalCount } } # ${'x'.repeat(70_000)}`),
  },
  {
    description: 'An import body over MAX_BODY_BYTES',
    expected: '413 PAYLOAD_TOO_LARGE',
    run: async (h) =>
      request(h.app.app)
        .post('/api/import/departments')
        .set(bearer(await h.as('INGEST')))
        .set('Content-Type', 'application/x-ndjson')
        .send('{"id":"dx","name":"x"}\n'.repeat(4000)),
  },
  {
    description: 'A body that is not JSON',
    expected: '400 BAD_USER_INPUT',
    run: async (h) => request(h.app.app).post('/graphql').set(bearer(await h.as('ANALYST'))).set('Content-Type', 'application/json').send('{"query": '),
  },
  {
    description: 'A burst of requests over RATE_LIMIT_PER_MINUTE from one token',
    expected: '429 RATE_LIMITED',
    run: async (h) => {
      const auth = bearer(await h.as('ANALYST'));
      for (let i = 0; i < RATE_LIMIT; i++) {
        const ok = await h.gql(auth, '{ me { role } }');
        if (ok.status !== 200) throw new Error(`request ${i + 1} of the burst answered ${ok.status}`);
      }
      const res = await h.gql(auth, '{ me { role } }');
      if (!/^\d+$/.test(String(res.headers['retry-after']))) throw new Error('no Retry-After header');
      return res;
    },
  },
];

/** RATE_LIMIT_PER_MINUTE in the security suite: room for every row's own requests, small enough to burst. */
export const RATE_LIMIT = 25;
