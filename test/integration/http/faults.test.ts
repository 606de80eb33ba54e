import { createConnection } from 'mysql2/promise';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { createApp, MinqingApp } from '../../../src/app';
import { AuthService } from '../../../src/auth/auth.service';
import { readConfig } from '../../../src/config';
import { createDataSource } from '../../../src/data-source';
import { ImportService } from '../../../src/import/import.service';
import { createLogger } from '../../../src/logger';
import { PrivateMariaDb, startPrivateMariaDb } from '../../helpers/private-mariadb';

/*
 * Database faults, MariaDB only by nature: the test stops and kills a real mariadbd process,
 * which it starts itself on a private port (the shared server on 3306 is never touched).
 *
 * Contract under test (documented in README "Database faults"):
 * - import: the batch is one transaction; a batch cut by an outage leaves nothing and answers
 *   503 {error: SERVICE_UNAVAILABLE, retryable: true} with Retry-After; a retry succeeds.
 * - extract: an outage mid-stream closes the connection without the final chunk of the chunked
 *   body, so every HTTP client reports a transport error (fetch: "terminated") instead of a
 *   silently short 200; an outage before streaming answers 503 like import.
 * - GraphQL: api.md's codes are fixed, so it is INTERNAL_SERVER_ERROR with extensions.retryable.
 * - /readyz: 503 while the database is away, 200 after; the pool reconnects without a restart.
 */

const N = 60_000;

function visitsBody(prefix: string): string {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(
      JSON.stringify({
        id: `${prefix}${i}`,
        cadreId: `c${i % 20}`,
        regionId: `v${i % 10}`,
        householdId: i === N - 1 ? 'hlast' : `h${i % 500}`,
        visitedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        kind: i % 7 === 0 ? 'VILLAGE_STAY' : 'HOME_VISIT',
        note: `走访记录 ${i}，"引号"，逗号`,
      }),
    );
  }
  return lines.join('\n') + '\n';
}

describe('database faults [mysql: private mariadbd stopped and killed by the test]', () => {
  let server: PrivateMariaDb;
  let ds: DataSource;
  let app: MinqingApp;
  let http: Server;
  let base: string;
  let headers: Record<string, string> = {};

  const count = async (table: string) => {
    const c = await server.connect('minqing_faults');
    try {
      const [rows] = (await c.query(`SELECT COUNT(*) AS n FROM ${table}`)) as unknown as [Array<{ n: number }>];
      return Number(rows[0].n);
    } finally {
      await c.end();
    }
  };
  const readyz = async () => (await fetch(`${base}/readyz`)).status;
  /** Polls /readyz until it answers `status` (the pool reconnects on its own). */
  const untilReady = async (status: number, ms = 20_000) => {
    const deadline = Date.now() + ms;
    let last = 0;
    while (Date.now() < deadline) {
      last = await readyz();
      if (last === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`/readyz stayed ${last}, expected ${status}`);
  };
  const gql = async (query: string) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
  };

  beforeAll(async () => {
    server = await startPrivateMariaDb();
    const admin = await server.connect();
    await admin.query('CREATE DATABASE minqing_faults CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await admin.end();
    const config = readConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_URL: `${server.url}/minqing_faults` });
    ds = createDataSource(config);
    await ds.initialize();
    await ds.runMigrations();
    const imports = new ImportService(ds, config);
    await imports.importRecords('regions', [
      { id: 'cty', level: 'COUNTY', name: '县' },
      ...Array.from({ length: 10 }, (_, i) => ({ id: `v${i}`, parentId: 'cty', level: 'VILLAGE', name: `村${i}` })),
    ]);
    await imports.importRecords('cadres', Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, name: `干部${i}`, regionId: 'cty', rank: 'STAFF' })));
    await imports.importRecords('households', [
      ...Array.from({ length: 500 }, (_, i) => ({ id: `h${i}`, regionId: `v${i % 10}`, headName: `户主${i}` })),
      { id: 'hlast', regionId: 'v9', headName: '末户' },
    ]);
    // Sent on every request: harmless while auth is not mounted, required once it is.
    const { token } = await new AuthService(ds).createToken({ role: 'ADMIN', name: 'faults test' });
    headers = { authorization: `Bearer ${token}` };
    app = await createApp({ config, dataSource: ds, log: createLogger('silent') });
    http = await new Promise<Server>((resolve) => {
      const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    if (http) {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
    await app?.stop();
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    await server?.destroy();
  });

  it('an import cut by a crash writes nothing, answers 503 retryable, and a retry writes every row', async () => {
    const body = visitsBody('k');
    // Pin the batch mid-write: another transaction holds the household the batch's last line
    // references, so the batch's INSERT (a foreign-key check) waits there with 59,999 rows
    // written but not committed. Then the server dies.
    const blocker = await createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'minqing_faults' });
    await blocker.query('START TRANSACTION');
    await blocker.query("SELECT id FROM households WHERE id = 'hlast' FOR UPDATE");
    const pending = fetch(`${base}/api/import/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...headers },
      body,
    });
    let settled: Response | undefined;
    void pending.then((r) => (settled = r), () => undefined);
    // information_schema.innodb_trx is slow with 60k row locks; the process list is cheap, and a
    // dirty read shows the batch's uncommitted rows.
    const watcher = await createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'minqing_faults' });
    await watcher.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
    const deadline = Date.now() + 60_000;
    let waiting = false;
    while (Date.now() < deadline && !settled && !waiting) {
      const [rows] = (await watcher.query(
        "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'INSERT INTO%visits%' AND time >= 1",
      )) as unknown as [Array<{ n: number }>];
      waiting = Number(rows[0].n) > 0;
      if (!waiting) await new Promise((r) => setTimeout(r, 20));
    }
    if (settled) throw new Error(`import finished before the crash: ${settled.status} ${await settled.text()}`);
    const [dirty] = (await watcher.query('SELECT COUNT(*) AS n FROM visits')) as unknown as [Array<{ n: number }>];
    expect(Number(dirty[0].n)).toBeGreaterThan(0); // written, not committed
    watcher.destroy();
    blocker.destroy();
    await server.kill();

    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(await readyz()).toBe(503);

    await server.start();
    await untilReady(200);
    expect(await count('visits')).toBe(0); // all or nothing: InnoDB rolled the batch back

    const retry = await fetch(`${base}/api/import/visits`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ dataset: 'visits', received: N, inserted: N, updated: 0, unchanged: 0 });
    expect(await count('visits')).toBe(N);
  }, 180_000);

  it('an import refused while the database is away is retryable and writes once after', async () => {
    const body = JSON.stringify({ id: 'late1', cadreId: 'c1', regionId: 'v1', householdId: 'h1', visitedAt: '2025-06-01T08:00:00Z', kind: 'HOME_VISIT' }) + '\n';
    await server.stop();
    const refused = await fetch(`${base}/api/import/visits`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', retryable: true });
    await server.start();
    await untilReady(200);
    const ok = await fetch(`${base}/api/import/visits`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body });
    expect(await ok.json()).toEqual({ dataset: 'visits', received: 1, inserted: 1, updated: 0, unchanged: 0 });
    const again = await fetch(`${base}/api/import/visits`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body });
    expect(await again.json()).toEqual({ dataset: 'visits', received: 1, inserted: 0, updated: 0, unchanged: 1 });
    expect(await count('visits')).toBe(N + 1);
  }, 60_000);

  it('an extract cut by a shutdown ends in a transport error, never a clean short 200', async () => {
    const res = await fetch(`${base}/api/extracts/visits?format=ndjson`, { headers });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const first = await reader.read();
    text += decoder.decode(first.value, { stream: true });
    await server.stop();
    let failure: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch (err) {
      failure = err;
    }
    // undici's TypeError comes from another realm than jest's, so match on the text.
    expect(String(failure)).toMatch(/terminated/);
    const lines = text.split('\n').filter((l) => l.length > 0).length;
    expect(lines).toBeLessThan(N + 1);

    // Before any byte is sent, an outage is a 503 like import.
    const before = await fetch(`${base}/api/extracts/visits?format=ndjson`, { headers });
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', retryable: true });
    await server.start();
    await untilReady(200);
    const full = await fetch(`${base}/api/extracts/visits?format=ndjson`, { headers });
    expect(full.status).toBe(200);
    const all = (await full.text()).split('\n').filter((l) => l.length > 0);
    expect(all).toHaveLength(N + 1);
  }, 120_000);

  it('under query load: every failure is a retryable error, /readyz follows, and the pool recovers', async () => {
    const query = '{ visits(first: 5) { totalCount edges { node { id } } } regions(first: 3) { edges { node { id name } } } }';
    const outcomes = { ok: 0, retryable: 0, other: [] as unknown[] };
    let running = true;
    const worker = async () => {
      while (running) {
        const r: Awaited<ReturnType<typeof gql>> = await gql(query).catch((e: unknown) => ({ status: 0, body: { errors: [{ message: String(e) }] } }));
        if (r.status === 200 && typeof r.body.data?.visits?.totalCount === 'number' && !r.body.errors) outcomes.ok++;
        else if (r.body.errors?.every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && e.extensions?.retryable === true)) outcomes.retryable++;
        else outcomes.other.push(r);
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    for (let i = 0; i < 100 && outcomes.ok === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const okBefore = outcomes.ok;
    await server.stop();
    await untilReady(503);
    await new Promise((r) => setTimeout(r, 500));
    await server.start();
    await untilReady(200);
    const okAtRestart = outcomes.ok;
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(workers);

    expect({ ...outcomes, other: outcomes.other.slice(0, 2) }).toEqual({ ok: outcomes.ok, retryable: outcomes.retryable, other: [] });
    expect(okBefore).toBeGreaterThan(0);
    expect(outcomes.retryable).toBeGreaterThan(0);
    expect(outcomes.ok).toBeGreaterThan(okAtRestart); // recovered without a restart of the service
    expect(outcomes.other).toEqual([]); // nothing but data or a retryable error, never a 500 page or a hang
  }, 120_000);
});
