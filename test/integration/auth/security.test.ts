import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { AuthService } from '../../../src/auth/auth.service';
import { SESSION_COOKIE } from '../../../src/http/auth.middleware';
import type { Role } from '../../../src/domain/access';
import { createLogger } from '../../../src/logger';
import { describeStores } from '../../helpers/stores';
import { insertCounty } from '../../factories/graphql-county';
import { FOREIGN_MARKERS, Harness, RATE_LIMIT, SECURITY_ATTEMPTS } from './security-table';

/** Every table a write could touch; the access tables change by design (tokens made per row). */
const RECORD_TABLES = ['regions', 'departments', 'cadres', 'households', 'pairings', 'visits', 'issues', 'issue_events', 'survey_responses', 'users'];

/** The code an answer carries: GraphQL `errors[0].extensions.code`, REST `error`, else OK. */
function codeOf(res: request.Response): string {
  const body = res.body as { errors?: Array<{ extensions?: { code?: string } }>; error?: string } | undefined;
  if (body && typeof body === 'object') {
    if (Array.isArray(body.errors) && body.errors.length) return String(body.errors[0].extensions?.code);
    if (typeof body.error === 'string') return body.error;
  }
  return 'OK';
}

/** The rows of README "The security table", as the attempts list them. */
const readmeTable = () => SECURITY_ATTEMPTS.map((a, i) => `| ${i + 1} | ${a.description} | \`${a.expected}\` |`).join('\n');

describe('README "The security table"', () => {
  it('lists exactly the attempts this test runs, in order', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The security table'));
    const rows = section.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    if (rows.join('\n') !== readmeTable()) {
      throw new Error(`README.md's security table differs from SECURITY_ATTEMPTS; its rows should read:\n${readmeTable()}`);
    }
  });
});

describeStores(
  'Security table',
  (store) => {
    let app: MinqingApp;
    const counts = async () =>
      Object.fromEntries(await Promise.all(RECORD_TABLES.map(async (t) => [t, Number((await store().ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)] as const)));

    const harness: Harness = {
      get app() {
        return app;
      },
      as: async (role: Role, regionId: string | null = null) => `Bearer ${(await app.auth.createToken({ role, regionId, name: `security ${role}` })).token}`,
      gql: (headers, query, variables = {}) => request(app.app).post('/graphql').set(headers).send({ query, variables }),
      login: async (username, password) => {
        const res = await request(app.app).post('/auth/login').send({ username, password });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
        const cookie = String(res.headers['set-cookie'][0]).split(';')[0];
        return { cookie, csrf: res.body.csrfToken as string };
      },
      expiredSession: async () => {
        const s = await new AuthService(store().ds, 1).login('analyst1', 'analyst-password-1');
        await new Promise((r) => setTimeout(r, 5));
        return `${SESSION_COOKIE}=${s!.session}`;
      },
    };

    beforeAll(async () => {
      await insertCounty(store().ds);
      // Fixtures bypass the import's write clock; extracts serve rows up to it.
      await store().ds.query('UPDATE write_clock SET last_ms = ? WHERE id = 1', [Date.UTC(2026, 0, 2)]);
      app = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
      await app.auth.createUser({ username: 'analyst1', password: 'analyst-password-1', role: 'ANALYST' });
      await app.auth.createUser({ username: 'admin1', password: 'admin-password-1', role: 'ADMIN' });
      await app.auth.createUser({ username: 'gone1', password: 'gone-password-1', role: 'ADMIN' });
    });
    afterAll(async () => {
      await app.stop();
    });

    it('has at least 40 attempts, each described once', () => {
      expect(SECURITY_ATTEMPTS.length).toBeGreaterThanOrEqual(40);
      expect(new Set(SECURITY_ATTEMPTS.map((a) => a.description)).size).toBe(SECURITY_ATTEMPTS.length);
    });

    it.each(SECURITY_ATTEMPTS.map((a) => [a.description, a.expected, a] as const))('%s → %s', async (_d, expected, attempt) => {
      const before = await counts();
      const res = await attempt.run(harness);
      const body = res.text ?? '';
      expect(`${res.status} ${codeOf(res)}`).toBe(expected);
      for (const s of attempt.mustContain ?? []) expect(body).toContain(s);
      for (const s of attempt.mustNotContain ?? []) expect(body).not.toContain(s);
      if (!attempt.wholeCounty) for (const s of FOREIGN_MARKERS) expect(body).not.toContain(s);
      // Never a stack or SQL in an answer.
      expect(body).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT .* FROM|QueryFailedError/);
      expect(await counts()).toEqual(before);
    });
  },
  { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), MAX_BODY_BYTES: '65536' },
);
