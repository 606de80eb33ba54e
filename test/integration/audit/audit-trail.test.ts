import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { AuditTrail } from '../../../src/audit/audit-trail';
import { extractCommand } from '../../../src/cli/extract.command';
import type { Role } from '../../../src/domain/access';
import { jobActor } from '../../../src/domain/audit';
import { runExtractJob } from '../../../src/extracts/extract-jobs';
import { ExtractService, extractParams } from '../../../src/extracts/extract.service';
import { toCsv } from '../../../src/http/export.routes';
import { createLogger } from '../../../src/logger';
import { insertCounty } from '../../factories/graphql-county';
import { auditRows } from '../../helpers/audit';
import { describeStores } from '../../helpers/stores';

/*
 * The audit trail (个人信息保护法, api.md "who saw what"): each kind of access leaves exactly one
 * entry with the right count; masked reads leave none; only ADMIN reads the trail.
 * Data: test/factories/graphql-county.ts (h1 张三, h2 李四 without a phone, h3 王五 in 东镇 t1;
 * h4 赵六 in 西镇 t2).
 */

describeStores('audit trail', (store) => {
  let app: MinqingApp;
  const tokens = new Map<string, { header: string; id: string }>();
  /** A token per role (and region), made once. */
  const as = async (role: Role, regionId: string | null = null) => {
    const key = `${role}:${regionId}`;
    if (!tokens.has(key)) {
      const { token, record } = await app.auth.createToken({ role, regionId, name: `audit ${key}` });
      tokens.set(key, { header: `Bearer ${token}`, id: record.id });
    }
    return tokens.get(key)!;
  };
  const gql = async (role: Role, query: string, regionId: string | null = null, variables: Record<string, unknown> = {}) =>
    request(app.app).post('/graphql').set('Authorization', (await as(role, regionId)).header).send({ query, variables });
  const entries = () => auditRows(store().ds);
  /** Runs `access` and returns the entries it appended (the trail must only grow). */
  const appended = async (access: () => Promise<unknown>) => {
    const before = await entries();
    await access();
    const after = await entries();
    expect(after.slice(0, before.length)).toEqual(before);
    return after.slice(before.length);
  };

  beforeAll(async () => {
    await insertCounty(store().ds);
    // Fixtures bypass the import's write clock; extracts serve rows up to it.
    await store().ds.query('UPDATE write_clock SET last_ms = ? WHERE id = 1', [Date.UTC(2026, 0, 2)]);
    app = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
  });
  afterAll(async () => {
    await app?.stop();
  });

  describe('GraphQL answers with unmasked personal fields', () => {
    it('leave one entry per response for ADMIN, counting each record once however often it appears', async () => {
      let res!: request.Response;
      const added = await appended(async () => {
        res = await gql('ADMIN', 'query People { households { edges { node { id headName phone } } } again: household(id: "h1") { headName } }');
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain('张三');
      expect(added).toHaveLength(1);
      const [e] = added;
      expect(e).toMatchObject({
        kind: 'PERSONAL_DATA_READ',
        operation: 'query People { households household }',
        records: 4,
        principal_kind: 'token',
        principal_id: (await as('ADMIN')).id,
        role: 'ADMIN',
        scope_region_id: null,
        channel: 'HTTP',
        request_id: res.headers['x-request-id'],
      });
      expect(JSON.parse(String(e.details))).toEqual({ records: { Household: 4 }, fields: ['Household.headName', 'Household.phone'] });
      expect(Math.abs(Number(e.created_at) - Date.now())).toBeLessThan(60_000);
    });

    it('count records of every type the answer carried', async () => {
      const added = await appended(() =>
        gql('ADMIN', '{ issue(id: "is1") { summary events { note } household { headName } } visits { edges { node { id note } } } }'),
      );
      expect(added).toHaveLength(1);
      // is1's summary, e2's note (is1's other events have none), h1's name, vs3's note (the other visits have none).
      expect(JSON.parse(String(added[0].details)).records).toEqual({ Issue: 1, IssueEvent: 1, Household: 1, Visit: 1 });
      expect(added[0].records).toBe(4);
    });

    it('leave one entry scoped to an OFFICER’s region, counting only what it saw', async () => {
      const added = await appended(() => gql('OFFICER', '{ households { edges { node { headName } } } }', 't1'));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ role: 'OFFICER', scope_region_id: 't1', records: 3 });
    });

    it('leave none when the fields went out masked (ANALYST, EXTRACT), were empty, or were not personal', async () => {
      const q = '{ households { edges { node { headName phone } } } surveyResponses { edges { node { comment } } } }';
      const added = await appended(async () => {
        const analyst = await gql('ANALYST', q);
        expect(analyst.text).toContain('张*');
        expect((await gql('EXTRACT', q)).status).toBe(200);
        expect((await gql('ADMIN', '{ household(id: "h2") { phone } regions { totalCount } }')).body.data.household.phone).toBeNull();
        await gql('ADMIN', '{ regions { edges { node { name } } } cadres { edges { node { name } } } }');
      });
      expect(added).toEqual([]);
    });

    it('withhold the answer when the entry cannot be written: personal data never goes out unrecorded', async () => {
      const spy = jest.spyOn(AuditTrail.prototype, 'record').mockRejectedValue(new Error('disk full'));
      try {
        const res = await gql('ADMIN', '{ household(id: "h1") { headName phone } }');
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } })] });
        expect(res.text).not.toContain('张三');
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('extracts', () => {
    it('leave one entry per HTTP pull with the rows served, masked or not', async () => {
      const added = await appended(async () => {
        const admin = await request(app.app).get('/api/extracts/households?format=csv').set('Authorization', (await as('ADMIN')).header);
        expect(admin.text).toContain('张三');
        const masked = await request(app.app).get('/api/extracts/households').set('Authorization', (await as('EXTRACT')).header);
        expect(masked.text).not.toContain('张三');
        const page = await request(app.app).get('/api/extracts/visits?limit=2').set('Authorization', (await as('EXTRACT')).header);
        expect(page.headers['x-next-cursor']).toBeDefined();
      });
      expect(added.map((e) => [e.kind, e.operation, e.records, e.role, e.channel])).toEqual([
        ['EXTRACT', 'households', 4, 'ADMIN', 'HTTP'],
        ['EXTRACT', 'households', 4, 'EXTRACT', 'HTTP'],
        ['EXTRACT', 'visits', 2, 'EXTRACT', 'HTTP'],
      ]);
      expect(JSON.parse(String(added[0].details))).toMatchObject({ format: 'csv', completed: true, masked: false });
      expect(JSON.parse(String(added[1].details))).toMatchObject({ format: 'ndjson', masked: true });
      expect(JSON.parse(String(added[2].details))).toMatchObject({ limit: 2 });
    });

    it('leave none for a HEAD (headers only) or a refused pull', async () => {
      const added = await appended(async () => {
        expect((await request(app.app).head('/api/extracts/households').set('Authorization', (await as('ADMIN')).header)).status).toBe(200);
        expect((await request(app.app).get('/api/extracts/households?format=xml').set('Authorization', (await as('ADMIN')).header)).status).toBe(400);
        expect((await request(app.app).get('/api/extracts/households').set('Authorization', (await as('ANALYST')).header)).status).toBe(403);
      });
      expect(added).toEqual([]);
    });

    it('leave one entry per command-line pull, by operating-system user', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'minqing-audit-cli-'));
      try {
        const stderr = new PassThrough();
        stderr.resume();
        const added = await appended(async () => {
          expect(await extractCommand(['households', '--out', join(dir, 'h.ndjson')], store().config, { stdout: new PassThrough(), stderr })).toBe(0);
        });
        expect(readFileSync(join(dir, 'h.ndjson'), 'utf8')).toContain('张三');
        expect(added.map((e) => [e.kind, e.operation, e.records, e.principal_kind, e.role, e.channel])).toEqual([['EXTRACT', 'households', 4, 'cli', null, 'CLI']]);
        expect(String(added[0].principal_name)).toMatch(/.+@.+/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('leave one entry per scheduled job run', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'minqing-audit-job-'));
      try {
        const config = { ...store().config, extractDir: dir };
        const job = { name: 'people', dataset: 'households' as const, format: 'ndjson' as const, schedule: '1h', folder: 'p', incremental: false, labels: false, bom: false, days: 90 };
        const added = await appended(() => runExtractJob(job, { service: app.services.extracts, config }));
        expect(added.map((e) => [e.kind, e.operation, e.records, e.principal_kind, e.principal_id, e.channel])).toEqual([['EXTRACT', 'households', 4, 'job', 'people', 'JOB']]);
        expect(jobActor('people').name).toBe(added[0].principal_name);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('break the stream, not skip the entry, when it cannot be written', async () => {
      const failing = { record: () => Promise.reject(new Error('disk full')) } as unknown as AuditTrail;
      const service = new ExtractService(store().ds, store().config, { audit: failing });
      const handle = await service.open(extractParams('households'), { actor: jobActor('x') });
      const sink = new Writable({ write: (_c, _e, cb) => cb() });
      await expect(pipeline(handle.stream, sink)).rejects.toThrow('disk full');
      expect(await handle.done).toMatchObject({ completed: false });
      // And an audited service will not open an extract without knowing who pulls it.
      await expect(app.services.extracts.open(extractParams('households'))).rejects.toThrow(/needs to know who pulls it/);
    });
  });

  describe('exports', () => {
    const body = { name: 'dashboard-ranking', filename: 'minqing-ranking-2025-03-01-2025-03-31.csv', header: ['rank', 'region', 'rate', 'flagged'], rows: [[1, '东镇, "一"', 0.8125, true], [2, '西镇', null, false]] };

    it('leave one entry per CSV download with the rows exported, and the file is those rows', async () => {
      let res!: request.Response;
      const added = await appended(async () => {
        res = await request(app.app).post('/api/exports/csv').set('Authorization', (await as('OFFICER', 't1')).header).send(body);
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="minqing-ranking-2025-03-01-2025-03-31.csv"');
      expect(res.text).toBe(toCsv([body.header, ...body.rows]));
      expect(res.text).toBe('\uFEFFrank,region,rate,flagged\r\n1,"东镇, ""一""",0.8125,true\r\n2,西镇,,false\r\n');
      expect(added.map((e) => [e.kind, e.operation, e.records, e.role, e.scope_region_id])).toEqual([['EXPORT', 'csv dashboard-ranking', 2, 'OFFICER', 't1']]);
    });

    it('refuse a bad request or a role that may not read, recording nothing', async () => {
      const admin = (await as('ADMIN')).header;
      const added = await appended(async () => {
        for (const bad of [
          { ...body, rows: [[1, 2]] },
          { ...body, name: '../x' },
          { ...body, filename: 'x.exe' },
          { ...body, header: [] },
          { ...body, rows: [[{}, 'a', 1, true]] },
          { ...body, extra: 1 },
        ]) {
          const res = await request(app.app).post('/api/exports/csv').set('Authorization', admin).send(bad);
          expect([res.status, res.body.error]).toEqual([400, 'BAD_USER_INPUT']);
        }
        const ingest = await request(app.app).post('/api/exports/csv').set('Authorization', (await as('INGEST')).header).send(body);
        expect(ingest.status).toBe(403);
      });
      expect(added).toEqual([]);
    });

    it('send no file when the entry cannot be written', async () => {
      const spy = jest.spyOn(AuditTrail.prototype, 'record').mockRejectedValue(new Error('disk full'));
      try {
        const res = await request(app.app).post('/api/exports/csv').set('Authorization', (await as('ADMIN')).header).send(body);
        expect(res.status).toBe(500);
        expect(res.text).not.toContain('西镇');
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('record lists and the monthly report', () => {
    it('leave one entry per record-list CSV with the rows sent, and whether they were masked', async () => {
      let res!: request.Response;
      const added = await appended(async () => {
        res = await request(app.app).get('/api/records/households.csv').set('Authorization', (await as('OFFICER', 't1')).header);
      });
      expect(res.status).toBe(200);
      const rows = res.text.trim().split('\r\n').length - 1;
      expect(rows).toBeGreaterThan(0);
      expect(added.map((e) => [e.kind, e.operation, e.records, e.role, e.scope_region_id])).toEqual([['EXPORT', 'csv households', rows, 'OFFICER', 't1']]);
      expect(JSON.parse(String(added[0].details))).toMatchObject({ format: 'csv', list: 'households', masked: false });
      const masked = await appended(async () => {
        res = await request(app.app).get('/api/records/households.csv').set('Authorization', (await as('ANALYST')).header);
      });
      expect(res.status).toBe(200);
      expect(masked.map((e) => [e.operation, e.records, e.role])).toEqual([['csv households', res.text.trim().split('\r\n').length - 1, 'ANALYST']]);
      expect(JSON.parse(String(masked[0].details))).toMatchObject({ masked: true });
      // A refused list leaves nothing.
      const none = await appended(async () => {
        res = await request(app.app).get('/api/records/households.csv?filter=nope').set('Authorization', (await as('ADMIN')).header);
      });
      expect([res.status, none]).toEqual([400, []]);
    });

    it('leave one entry per monthly report workbook', async () => {
      let res!: request.Response;
      const added = await appended(async () => {
        res = await request(app.app).get('/api/reports/monthly.xlsx?month=2025-12&level=TOWNSHIP').set('Authorization', (await as('ADMIN')).header).buffer(true);
      });
      expect(res.status).toBe(200);
      expect(added.map((e) => [e.kind, e.operation, e.role])).toEqual([['EXPORT', 'xlsx monthly-report', 'ADMIN']]);
    });
  });

  describe('reading the trail', () => {
    const LOG = `query($first: Int, $after: String, $principalId: ID, $from: DateTime, $to: DateTime) {
      auditLog(first: $first, after: $after, principalId: $principalId, from: $from, to: $to) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id at kind operation records principalKind principalId role scopeRegionId channel } }
      } }`;

    it('is ADMIN’s: newest first, paged by keyset, filtered by principal and time', async () => {
      const all = await entries();
      expect(all.length).toBeGreaterThan(8);
      const first = await gql('ADMIN', LOG, null, { first: 3 });
      const page1 = first.body.data.auditLog;
      expect(page1.totalCount).toBe(all.length);
      const newest = [...all].reverse();
      expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(newest.slice(0, 3).map((e) => e.id));
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (await gql('ADMIN', LOG, null, { first: 3, after: page1.pageInfo.endCursor })).body.data.auditLog;
      expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(newest.slice(3, 6).map((e) => e.id));

      const officer = (await as('OFFICER', 't1')).id;
      const mine = (await gql('ADMIN', LOG, null, { principalId: officer })).body.data.auditLog;
      expect(mine.edges.map((e: { node: { principalId: string } }) => e.node.principalId)).toEqual(all.filter((e) => e.principal_id === officer).map(() => officer));
      expect(mine.totalCount).toBeGreaterThanOrEqual(2);

      const cut = Number(all[3].created_at);
      const window = (await gql('ADMIN', LOG, null, { from: new Date(cut).toISOString(), to: new Date(Number(all[5].created_at)).toISOString() })).body.data.auditLog;
      expect(window.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([all[4].id, all[3].id]);
      const bad = await gql('ADMIN', LOG, null, { from: new Date(cut).toISOString(), to: new Date(cut - 1).toISOString() });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('is FORBIDDEN to every other role, over GraphQL and as an extract', async () => {
      for (const [role, region] of [['ANALYST', null], ['OFFICER', 't1'], ['EXTRACT', null], ['INGEST', null]] as const) {
        const res = await gql(role, '{ auditLog { totalCount } }', region);
        expect([role, res.body.errors?.[0]?.extensions?.code, res.body.data ?? null]).toEqual([role, 'FORBIDDEN', null]);
      }
      const extract = (await as('EXTRACT')).header;
      const pulled = await request(app.app).get('/api/extracts/audit_log').set('Authorization', extract);
      expect([pulled.status, pulled.body.error]).toEqual([403, 'FORBIDDEN']);
      const catalogue = await request(app.app).get('/api/extracts').set('Authorization', extract);
      expect(catalogue.body.datasets.map((d: { name: string }) => d.name)).not.toContain('audit_log');
    });

    it('is an extract for ADMIN, paged exactly by its own clock, and that pull is recorded too', async () => {
      const admin = (await as('ADMIN')).header;
      const before = await entries();
      const full = await request(app.app).get('/api/extracts/audit_log').set('Authorization', admin);
      expect(full.status).toBe(200);
      const lines = full.text.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.id)).toEqual(before.map((e) => e.id));
      expect(lines[0]).toEqual(
        expect.objectContaining({ kind: before[0].kind, operation: before[0].operation, records: before[0].records, createdAt: new Date(Number(before[0].created_at)).toISOString() }),
      );
      // The watermark is the audit clock's (the last entry before the pull); the next pull from it
      // holds exactly the entries made since: this pull's own.
      expect(Date.parse(full.headers['x-watermark'])).toBe(before[before.length - 1].updated_at);
      const next = await request(app.app).get('/api/extracts/audit_log').query({ updatedSince: full.headers['x-watermark'] }).set('Authorization', admin);
      const since = next.text.trim().split('\n').map((l) => JSON.parse(l));
      expect(since.map((l) => [l.kind, l.operation, l.records])).toEqual([['EXTRACT', 'audit_log', before.length]]);
      // An audit entry never moves the data version the answer caches key on.
      const [{ last_ms: dataVersion }] = await store().ds.query('SELECT last_ms FROM write_clock WHERE id = 1');
      expect(Number(dataVersion)).toBe(Date.UTC(2026, 0, 2));
    });
  });
});
