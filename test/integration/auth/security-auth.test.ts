import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { tokenCommand } from '../../../src/cli/token.command';
import { ensureFirstAdmin, userCommand } from '../../../src/cli/user.command';
import { formatError } from '../../../src/graphql/errors';
import { installStatementTimeout } from '../../../src/database/session-settings';
import { createLogger } from '../../../src/logger';
import { describeStores } from '../../helpers/stores';
import { insertCounty } from '../../factories/graphql-county';

/** Runs a CLI command, returning its exit code and the lines it printed. */
async function captured(run: () => Promise<number>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await run(), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describeStores(
  'Sign-in, admin API, CLI and statement limits',
  (store) => {
    let app: MinqingApp;
    let admin: string;
    const gql = (auth: Record<string, string>, query: string, variables: Record<string, unknown> = {}) =>
      request(app.app).post('/graphql').set(auth).send({ query, variables });

    beforeAll(async () => {
      await insertCounty(store().ds);
      app = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
      admin = `Bearer ${(await app.auth.createToken({ role: 'ADMIN', name: 'suite admin' })).token}`;
    });
    afterAll(async () => {
      await app.stop();
    });

    it('signs an OFFICER in with an HttpOnly SameSite=Strict cookie that reads its subtree, with CSRF on POST', async () => {
      await app.auth.createUser({ username: 'east', password: 'east-password-1', role: 'OFFICER', regionId: 't1' });
      const login = await request(app.app).post('/auth/login').send({ username: 'east', password: 'east-password-1' });
      expect(login.status).toBe(200);
      const setCookie = String(login.headers['set-cookie'][0]);
      expect(setCookie).toMatch(/^mq_session=mqs_[\w-]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(login.body).toEqual({ user: { username: 'east', role: 'OFFICER', regionId: 't1' }, csrfToken: expect.any(String) });
      const cookie = setCookie.split(';')[0];
      expect((await request(app.app).get('/auth/me').set('Cookie', cookie)).body).toEqual({ user: { username: 'east', role: 'OFFICER', regionId: 't1', kind: 'user' } });
      const res = await gql({ Cookie: cookie, 'X-CSRF-Token': login.body.csrfToken }, '{ me { kind name role regionId } households { totalCount } }');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { me: { kind: 'user', name: 'east', role: 'OFFICER', regionId: 't1' }, households: { totalCount: 3 } } });
      // A GET query needs no CSRF header (it changes nothing).
      const get = await request(app.app).get('/graphql').query({ query: '{ issues { totalCount } }' }).set({ Cookie: cookie, 'apollo-require-preflight': 'true' });
      expect(get.body).toEqual({ data: { issues: { totalCount: 4 } } });
    });

    it('lets an ADMIN make, list and revoke tokens over GraphQL; the new token works until revoked', async () => {
      const made = await gql({ Authorization: admin }, 'mutation { createToken(input: { role: OFFICER, regionId: "t2", name: "西镇 app" }) { token record { id name role regionId revokedAt } } }');
      const { token, record } = made.body.data.createToken;
      expect(record).toEqual({ id: expect.any(String), name: '西镇 app', role: 'OFFICER', regionId: 't2', revokedAt: null });
      const as = { Authorization: `Bearer ${token}` };
      expect((await gql(as, '{ households { edges { node { id } } } }')).body).toEqual({ data: { households: { edges: [{ node: { id: 'h4' } }] } } });
      const list = await gql({ Authorization: admin }, '{ tokens { id name lastUsedAt } }');
      const listed = list.body.data.tokens.find((t: { id: string }) => t.id === record.id);
      expect(listed.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(list.body)).not.toContain(token);
      const revoked = await gql({ Authorization: admin }, 'mutation($id: ID!) { revokeToken(id: $id) { id revokedAt } }', { id: record.id });
      expect(revoked.body.data.revokeToken.revokedAt).not.toBeNull();
      const after = await gql(as, '{ households { totalCount } }');
      expect([after.status, after.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('answers bad admin input with BAD_USER_INPUT or NOT_FOUND and writes nothing', async () => {
      const before = (await app.auth.listTokens()).length;
      const codes = async (query: string) => (await gql({ Authorization: admin }, query)).body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code);
      expect(await codes('mutation { createToken(input: { role: OFFICER }) { token } }')).toEqual(['BAD_USER_INPUT']);
      expect(await codes('mutation { createToken(input: { role: ANALYST, regionId: "t1" }) { token } }')).toEqual(['BAD_USER_INPUT']);
      expect(await codes('mutation { createToken(input: { role: OFFICER, regionId: "nowhere" }) { token } }')).toEqual(['BAD_USER_INPUT']);
      expect(await codes('mutation { revokeToken(id: "nope") { id } }')).toEqual(['NOT_FOUND']);
      expect(await codes('mutation { disableUser(id: "nope") { id } }')).toEqual(['NOT_FOUND']);
      expect((await app.auth.listTokens()).length).toBe(before);
    });

    it('disables a user over GraphQL, ending their sessions', async () => {
      const user = await app.auth.createUser({ username: 'leaver', password: 'leaver-password-1', role: 'ANALYST' });
      const login = await request(app.app).post('/auth/login').send({ username: 'leaver', password: 'leaver-password-1' });
      const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
      const res = await gql({ Authorization: admin }, 'mutation($id: ID!) { disableUser(id: $id) { username disabledAt } }', { id: user.id });
      expect(res.body.data.disableUser).toEqual({ username: 'leaver', disabledAt: expect.any(String) });
      expect((await request(app.app).get('/auth/me').set('Cookie', cookie)).status).toBe(401);
      const users = await gql({ Authorization: admin }, '{ users { username role regionId } }');
      expect(users.body.data.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['east', 'leaver']));
      expect(JSON.stringify(users.body)).not.toMatch(/scrypt|password/i);
    });

    it('answers the standard introspection query (GraphiQL) for a signed-in caller, within the limits', async () => {
      const res = await gql({ Authorization: admin }, getIntrospectionQuery());
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.__schema.queryType).toEqual({ kind: 'OBJECT', name: 'Query' });
    });

    it('masks an unexpected error as INTERNAL_SERVER_ERROR with no SQL, and echoes the request id', async () => {
      await store().ds.query('ALTER TABLE departments RENAME TO departments_away');
      try {
        const res = await gql({ Authorization: admin, 'X-Request-Id': 'sec-req-1' }, '{ departments { totalCount } }');
        expect(res.headers['x-request-id']).toBe('sec-req-1');
        expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(res.text).not.toMatch(/SELECT|FROM|no such table|doesn't exist|\.ts:\d+/);
      } finally {
        await store().ds.query('ALTER TABLE departments_away RENAME TO departments');
      }
    });

    it('creates a token from the CLI, printing it on the last line', async () => {
      const r = await captured(() => tokenCommand(['create', '--role', 'officer', '--region', 't1', '--name', 'cli'], store().config));
      expect(r.code).toBe(0);
      const token = r.out[r.out.length - 1];
      expect(token).toMatch(/^mq_[\w-]{43}$/);
      const res = await gql({ Authorization: `Bearer ${token}` }, '{ me { role regionId name } }');
      expect(res.body).toEqual({ data: { me: { role: 'OFFICER', regionId: 't1', name: 'cli' } } });
      const bad = await captured(() => tokenCommand(['create', '--role', 'KING'], store().config));
      expect([bad.code, bad.err]).toEqual([2, ['minqing: role must be one of ADMIN, ANALYST, OFFICER, EXTRACT, INGEST']]);
    });

    it('creates users from the CLI, generating and printing a password when none is given', async () => {
      const given = await captured(() => userCommand(['create', '--name', 'cli-analyst', '--role', 'ANALYST', '--password', 'cli-password-1'], store().config));
      expect(given.code).toBe(0);
      expect(given.out.join('\n')).not.toContain('cli-password-1');
      expect((await request(app.app).post('/auth/login').send({ username: 'cli-analyst', password: 'cli-password-1' })).status).toBe(200);
      const generated = await captured(() => userCommand(['create', '--name', 'cli-officer', '--role', 'OFFICER', '--region', 'v1'], store().config));
      expect(generated.code).toBe(0);
      const password = generated.out[generated.out.length - 1].replace(/^Password \(shown only this once\): /, '');
      expect(password).toMatch(/^[\w-]{24}$/);
      expect((await request(app.app).post('/auth/login').send({ username: 'cli-officer', password })).status).toBe(200);
      const taken = await captured(() => userCommand(['create', '--name', 'cli-analyst', '--role', 'ANALYST', '--password', 'cli-password-2'], store().config));
      expect([taken.code, taken.err]).toEqual([2, ['minqing: username cli-analyst is taken']]);
    });

    it('creates the first admin once at start-up, printing a random password', async () => {
      const lines: string[] = [];
      await ensureFirstAdmin({ ...store().config, adminPassword: null }, store().ds, (l) => lines.push(l));
      expect(lines).toHaveLength(1);
      const password = lines[0].replace(/^Created the user "admin"\. Its password, shown only this once: /, '');
      expect(password).toMatch(/^[\w-]{24}$/);
      await ensureFirstAdmin({ ...store().config, adminPassword: null }, store().ds, (l) => lines.push(l));
      expect(lines).toHaveLength(1);
      expect((await request(app.app).post('/auth/login').send({ username: 'admin', password })).body.user).toEqual({ username: 'admin', role: 'ADMIN', regionId: null });
    });

    it('caps statement time on MySQL/MariaDB (not applicable on SQLite) and maps the error to QUERY_TOO_COMPLEX', async () => {
      if (store().kind === 'mysql') {
        installStatementTimeout(store().ds, 200, 64);
        const [row] = await store().ds.query('SELECT @@SESSION.max_statement_time AS t, @@SESSION.tmp_table_size AS tmp, @@SESSION.max_heap_table_size AS heap');
        expect(Number(row.t)).toBe(0.2);
        // GROUP BYs over tens of thousands of keys stay in memory up to DB_TMP_TABLE_MB.
        expect([Number(row.tmp), Number(row.heap)]).toEqual([64 * 1048576, 64 * 1048576]);
        const err = await store().ds.query('SELECT SLEEP(1) AS s').then(() => null, (e: unknown) => e);
        expect(err).not.toBeNull();
        const formatted = formatError(() => undefined, { statementTimeoutMs: 200 })({ message: 'x', extensions: {} }, { originalError: err });
        expect(formatted).toEqual({
          message: 'a database statement took longer than 200 ms (STATEMENT_TIMEOUT_MS); narrow the query or retry later',
          path: undefined,
          extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'statementTime', retryable: true },
        });
      } else {
        // better-sqlite3 runs statements synchronously in-process: nothing to interrupt.
        expect(() => installStatementTimeout(store().ds, 200)).not.toThrow();
      }
    });
  },
  { STATEMENT_TIMEOUT_MS: '30000' },
);
