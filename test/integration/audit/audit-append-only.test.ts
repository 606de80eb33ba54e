import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { AuditEntry } from '../../../src/audit/audit-entry.entity';
import { AppendOnlyViolation } from '../../../src/database/append-only';
import { buildMinqingSchema } from '../../../src/graphql/schema';
import { jobActor } from '../../../src/domain/audit';
import { createLogger } from '../../../src/logger';
import { insertCounty } from '../../factories/graphql-county';
import { auditRows } from '../../helpers/audit';
import { describeStores } from '../../helpers/stores';

/*
 * Nothing in the service can change or delete an audit entry (api.md "who saw what"). No
 * trigger guards the table (the README promises none): the code does — no mutation or route
 * touches it but to append, and the data source refuses any statement that would change or
 * remove a row (src/database/append-only.ts). Both are proved here: every mutation of the
 * schema and every route of the app is run (the test fails when a new one is not in its lists),
 * and after each the entries there before are all still there, unchanged.
 */

const H = '{"id":"hx","regionId":"g1","headName":"新户","members":1}';

/** One call of every mutation of the schema, as ADMIN (valid or not: either way it must not touch the trail). */
const MUTATIONS: Record<string, string> = {
  upsertHousehold: 'mutation { upsertHousehold(input: { id: "h9", regionId: "g1", headName: "钱七", phone: "13900000009", members: 3 }) { outcome household { headName } } }',
  recordVisit: 'mutation { recordVisit(input: { id: "vs9", cadreId: "c1", regionId: "g1", householdId: "h1", visitedAt: "2025-03-21T09:00:00+08:00", kind: HOME_VISIT, note: "回访" }) { outcome visit { note } } }',
  openIssue: 'mutation { openIssue(input: { id: "is9", regionId: "g1", householdId: "h1", channel: HOTLINE, category: OTHER, summary: "路灯坏了", receivedAt: "2025-03-21T10:00:00+08:00" }) { outcome issue { summary } } }',
  addIssueEvent: 'mutation { addIssueEvent(input: { id: "e99", issueId: "is9", at: "2025-03-21T11:00:00+08:00", type: ASSIGNED, departmentId: "d1", note: "派单" }) { outcome } }',
  recordSurveyResponse: 'mutation { recordSurveyResponse(input: { id: "s9", regionId: "g1", issueId: "is9", householdId: "h1", respondedAt: "2025-03-22T10:00:00+08:00", channel: PHONE_CALLBACK, score: 4, comment: "满意" }) { outcome } }',
  createToken: 'mutation { createToken(input: { role: ANALYST, name: "made here" }) { record { id } } }',
  revokeToken: 'mutation { revokeToken(id: "no-such-token") { id } }',
  disableUser: 'mutation { disableUser(id: "no-such-user") { id } }',
  publishMonthlyReport: 'mutation { publishMonthlyReport(month: "2025-03", level: TOWNSHIP) { version } }',
};

describeStores('the audit trail is append-only', (store) => {
  let app: MinqingApp;
  let admin: string;
  /** Route layers of the app (method + path) and whether a request reached one. */
  const routesHit = new Map<string, boolean>();

  const snapshot = () => auditRows(store().ds);
  /** Runs `action`; the entries there before must all still be there, unchanged and in order. */
  const untouched = async (what: string, action: () => Promise<unknown>) => {
    const before = await snapshot();
    await action();
    const after = await snapshot();
    expect({ what, kept: after.slice(0, before.length) }).toEqual({ what, kept: before });
    return after.length - before.length;
  };

  beforeAll(async () => {
    await insertCounty(store().ds);
    await store().ds.query('UPDATE write_clock SET last_ms = ? WHERE id = 1', [Date.UTC(2026, 0, 2)]);
    app = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
    admin = `Bearer ${(await app.auth.createToken({ role: 'ADMIN', name: 'auditor' })).token}`;
    await app.auth.createUser({ username: 'admin2', password: 'admin-password-2', role: 'ADMIN' });
    // A few entries to guard.
    for (let i = 0; i < 3; i++) await app.services.audit.record({ kind: 'EXTRACT', operation: 'households', records: i, actor: jobActor(`seed${i}`) });
    // Note every route handler a request reaches.
    const walk = (stack: Array<{ route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: unknown[] } & ((...a: unknown[]) => unknown) }>) => {
      for (const layer of stack) {
        if (layer.route) {
          const key = `${Object.keys(layer.route.methods).join(',').toUpperCase()} ${layer.route.path}`;
          routesHit.set(key, false);
          const handle = layer.handle;
          layer.handle = Object.assign((...args: unknown[]) => (routesHit.set(key, true), handle(...args)), handle);
        } else if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack as typeof stack);
      }
    };
    walk((app.app as unknown as { router: { stack: Parameters<typeof walk>[0] } }).router.stack);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses any statement that would change or remove an entry, however it is sent', async () => {
    const { ds } = store();
    const [one] = await snapshot();
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['DELETE', () => ds.query('DELETE FROM audit_log')],
      ['DELETE one', () => ds.query('DELETE FROM audit_log WHERE id = ?', [one.id])],
      ['UPDATE', () => ds.query('UPDATE audit_log SET records = 0')],
      ['UPDATE quoted', () => ds.query(`UPDATE ${ds.driver.escape('audit_log')} SET principal_name = 'someone else'`)],
      ['TRUNCATE', () => ds.query('TRUNCATE TABLE audit_log')],
      ['REPLACE', () => ds.query('REPLACE INTO audit_log SELECT * FROM audit_log')],
      ['upsert', () => ds.query(`INSERT INTO audit_log SELECT * FROM audit_log ${ds.options.type === 'mysql' ? 'ON DUPLICATE KEY UPDATE records = 0' : 'WHERE 1 ON CONFLICT (id) DO UPDATE SET records = 0'}`)],
      ['INSERT OR REPLACE', () => ds.query('INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log')],
      ['repository update', () => ds.getRepository(AuditEntry).update({ id: String(one.id) }, { records: 99 })],
      ['repository delete', () => ds.getRepository(AuditEntry).delete({ id: String(one.id) })],
      ['repository clear', () => ds.getRepository(AuditEntry).clear()],
      ['entity save', async () => {
        const e = await ds.getRepository(AuditEntry).findOneByOrFail({ id: String(one.id) });
        e.records = 99;
        await ds.getRepository(AuditEntry).save(e);
      }],
      ['entity remove', async () => ds.getRepository(AuditEntry).remove(await ds.getRepository(AuditEntry).findOneByOrFail({ id: String(one.id) }))],
      ['in a transaction', () => ds.transaction((m) => m.query('DELETE FROM audit_log'))],
    ];
    for (const [what, attempt] of attempts) {
      await untouched(what, async () => {
        await expect(attempt()).rejects.toThrow(AppendOnlyViolation);
      });
    }
    // Other tables are not affected by the guard, and reads of the trail pass.
    await expect(ds.query("UPDATE departments SET name = name WHERE id = 'd1'")).resolves.toBeDefined();
    expect((await ds.query('SELECT COUNT(*) AS n FROM audit_log'))[0].n).toBeDefined();
  });

  it('is only appended to by every mutation of the schema', async () => {
    const schema = await buildMinqingSchema();
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(Object.keys(MUTATIONS).sort());
    for (const [name, mutation] of Object.entries(MUTATIONS)) {
      await untouched(name, async () => {
        const res = await request(app.app).post('/graphql').set('Authorization', admin).send({ query: mutation });
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      });
    }
    // The recording mutations answered with personal fields: appended, as they must be.
    expect((await snapshot()).filter((e) => e.kind === 'PERSONAL_DATA_READ').length).toBeGreaterThanOrEqual(3);
  });

  it('is only appended to by every route of the app (each one reached), whatever the method', async () => {
    const login = await request(app.app).post('/auth/login').send({ username: 'admin2', password: 'admin-password-2' });
    const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
    const csrf = login.body.csrfToken as string;
    const calls: Array<[string, () => request.Test]> = [
      ['GET /metrics', () => request(app.app).get('/metrics')],
      ['GET /healthz', () => request(app.app).get('/healthz')],
      ['GET /readyz', () => request(app.app).get('/readyz')],
      ['GET /auth/me', () => request(app.app).get('/auth/me').set('Cookie', cookie)],
      ['GET /login', () => request(app.app).get('/login')],
      ['GET /dashboard', () => request(app.app).get('/dashboard').set('Cookie', cookie)],
      ['GET /graphiql', () => request(app.app).get('/graphiql').set('Cookie', cookie)],
      ['GET /dashboard/report', () => request(app.app).get('/dashboard/report').set('Cookie', cookie)],
      ['GET /dashboard/household/h1', () => request(app.app).get('/dashboard/household/h1').set('Cookie', cookie)],
      ['GET /dashboard/cadre/c1', () => request(app.app).get('/dashboard/cadre/c1').set('Cookie', cookie)],
      ['GET /dashboard/issue/is9', () => request(app.app).get('/dashboard/issue/is9').set('Cookie', cookie)],
      ['GET monthly report workbook', () => request(app.app).get('/api/reports/monthly.xlsx?month=2025-03&level=TOWNSHIP').set('Authorization', admin)],
      ['GET record list CSV', () => request(app.app).get('/api/records/households.csv').set('Authorization', admin)],
      ['GET labels', () => request(app.app).get('/dashboard/assets/labels.js')],
      ['GET vendor', () => request(app.app).get('/dashboard/assets/vendor/echarts.min.js')],
      ['GET asset', () => request(app.app).get('/dashboard/assets/csv.js')],
      ['GET extracts', () => request(app.app).get('/api/extracts').set('Authorization', admin)],
      ['GET audit_log extract', () => request(app.app).get('/api/extracts/audit_log').set('Authorization', admin)],
      ['GET households extract', () => request(app.app).get('/api/extracts/households?format=csv').set('Authorization', admin)],
      ['POST export', () => request(app.app).post('/api/exports/csv').set('Authorization', admin).send({ name: 'x', header: ['a'], rows: [['1']] })],
      ['POST import', () => request(app.app).post('/api/import/households').set('Authorization', admin).set('Content-Type', 'application/x-ndjson').send(H + '\n')],
      ['POST import audit_log', () => request(app.app).post('/api/import/audit_log').set('Authorization', admin).set('Content-Type', 'application/x-ndjson').send('{"id":"x"}\n')],
      ['DELETE import', () => request(app.app).delete('/api/import/households').set('Authorization', admin)],
      ['DELETE extract', () => request(app.app).delete('/api/extracts/audit_log').set('Authorization', admin)],
      ['PUT extract', () => request(app.app).put('/api/extracts/audit_log').set('Authorization', admin).send({})],
      ['PATCH export', () => request(app.app).patch('/api/exports/csv').set('Authorization', admin).send({})],
      ['DELETE graphql', () => request(app.app).delete('/graphql').set('Authorization', admin)],
      ['GET graphql', () => request(app.app).get('/graphql').query({ query: '{ auditLog(first: 2) { totalCount } }' }).set('Authorization', admin)],
      ['POST graphql', () => request(app.app).post('/graphql').set('Authorization', admin).send({ query: getIntrospectionQuery() })],
      ['POST logout', () => request(app.app).post('/auth/logout').set({ Cookie: cookie, 'X-CSRF-Token': csrf })],
      ['POST login', () => request(app.app).post('/auth/login').send({ username: 'admin2', password: 'wrong' })],
    ];
    for (const [what, call] of calls) {
      await untouched(what, async () => {
        const res = await call();
        expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
      });
    }
    expect([...routesHit].filter(([, hit]) => !hit).map(([route]) => route)).toEqual([]);
    expect(routesHit.size).toBeGreaterThanOrEqual(15);
  });
});
