/**
 * `npm run load`: a bounded load test on loopback. Seeds the demo county into a fresh SQLite
 * file or MariaDB database, starts the real server (`node dist/src/main.js`) as a child
 * process, then runs two autocannon clients side by side for LOAD_SECONDS (default 180):
 * readers (metrics trend and ranking, entity connections with relations, /metrics) and writers
 * (NDJSON import batches of visits and survey responses, half new records, half retries).
 * Prints p50/p99 per client, errors (transport, non-2xx, GraphQL errors), the server's RSS and
 * heap from its own /metrics at start and end, then sends SIGTERM and checks a clean exit.
 *
 * Knobs (environment; this is a script, like the test helpers, so it reads them itself):
 *   LOAD_SECONDS=180  LOAD_STORE=sqlite|mysql  LOAD_SCALE=1  LOAD_MYSQL_URL=mysql://root@127.0.0.1:3306
 *   LOAD_READERS=6  LOAD_WRITERS=2 (connections)  LOAD_MAX_REQUESTS=2000000 (count bound)
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { AuthService } from '../src/auth/auth.service';
import { seedDatabase } from '../src/cli/seed.command';
import { readConfig } from '../src/config';
import { createDataSource } from '../src/data-source';

// autocannon ships no types; the little used here is typed locally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface Histogram {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  average: number;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: LoadRequest) => LoadRequest;
  onResponse?: (status: number, body: string) => void;
}

const env = process.env;
const SECONDS = Number(env.LOAD_SECONDS ?? 180);
const STORE = (env.LOAD_STORE ?? 'sqlite') as 'sqlite' | 'mysql';
const SCALE = Number(env.LOAD_SCALE ?? 1);
const MYSQL_URL = (env.LOAD_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const READERS = Number(env.LOAD_READERS ?? 6);
const WRITERS = Number(env.LOAD_WRITERS ?? 2);
const MAX_REQUESTS = Number(env.LOAD_MAX_REQUESTS ?? 2_000_000);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function prepareDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (STORE === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'minqing-load-'));
    return { url: `sqlite:${join(dir, 'load.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `mq_load_${process.pid}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    url: `${MYSQL_URL}/${name}`,
    drop: async () => {
      const c = await createConnection({ uri: MYSQL_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'load-test-admin-password',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (s: string) => {
      out += s;
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${out}`)));
  });
  return { child, base };
}

async function serverMemory(base: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}

async function main(): Promise<void> {
  console.log(`Load test: ${STORE}, demo county ×${SCALE}, ${SECONDS} s, ${READERS} reader + ${WRITERS} writer connections`);
  const db = await prepareDatabase();
  const config = readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const ds = createDataSource(config);
  await ds.initialize();
  let child: ChildProcess | undefined;
  try {
    await ds.runMigrations({ transaction: 'each' });
    const seedStart = Date.now();
    await seedDatabase(ds, config, { scale: SCALE });
    console.log(`Seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const token = (await new AuthService(ds).createToken({ role: 'ADMIN', name: 'load test' })).token;
    const pairs: Array<{ cadre_id: string; region_id: string }> = await ds.query('SELECT cadre_id, region_id FROM visits ORDER BY id LIMIT 50');
    const issues: Array<{ id: string; region_id: string }> = await ds.query('SELECT id, region_id FROM issues ORDER BY id LIMIT 50');
    const [township] = await ds.query("SELECT id FROM regions WHERE level = 'TOWNSHIP' ORDER BY id LIMIT 1");

    const server = await startServer(db.url);
    child = server.child;
    const { base } = server;
    console.log(`Server up at ${base} (pid ${child.pid})`);

    const auth = { Authorization: `Bearer ${token}` };
    let graphqlErrors = 0;
    let badBodies = 0;
    const firstErrors: string[] = [];
    const noteError = (what: string) => {
      if (firstErrors.length < 5) firstErrors.push(what.slice(0, 300));
    };
    const gql = (query: string, variables: Record<string, unknown> = {}): LoadRequest => ({
      method: 'POST',
      path: '/graphql',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      onResponse: (status, body) => {
        if (status === 200 && body.includes('"errors"')) {
          graphqlErrors++;
          noteError(body);
        }
      },
    });
    const readers: LoadRequest[] = [
      gql(
        'query Trend($q: MetricsQuery!) { metrics(query: $q) { dataAsOf rows { period values { measure value numerator denominator suppressed } } } }',
        { q: { measures: ['SATISFIED_RATE', 'RESPONSES', 'RESPONSE_RATE'], dimensions: ['PERIOD'], granularity: 'MONTH', from: '2024-11-01', to: '2026-10-31' } },
      ),
      gql(
        'query Ranking($q: MetricsQuery!) { metrics(query: $q) { rows { region { id name } values { measure value low high suppressed } } } }',
        { q: { measures: ['THREE_RATE_SCORE', 'SATISFACTION_AVG', 'VISITS'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2026-01-01', to: '2026-06-30' } },
      ),
      gql(
        'query Issues($f: IssueFilter) { issues(filter: $f, first: 50) { totalCount edges { node { id status region { name } household { headName } events { type at } surveys { score } } } } }',
        { f: { regionId: township?.id } },
      ),
      gql('query Visits { visits(first: 100) { edges { node { id kind cadre { name } region { name ancestors { name } } } } } }'),
      { method: 'GET', path: '/metrics' },
    ];

    let batch = 0;
    const importBatch = (dataset: 'visits' | 'survey_responses'): LoadRequest => {
      const sent: string[] = [];
      return {
        method: 'POST',
        path: `/api/import/${dataset}`,
        headers: { ...auth, 'content-type': 'application/x-ndjson' },
        setupRequest: (req) => {
          const n = ++batch;
          // Every other batch is a retry of an earlier one (idempotent: all unchanged).
          if (n % 2 === 0 && sent.length) return { ...req, body: sent[Math.floor(Math.random() * sent.length)] };
          const lines = Array.from({ length: 100 }, (_, k) => {
            const id = `load-${dataset}-${n}-${k}`;
            const at = new Date(Date.UTC(2026, 5, 1 + (k % 28), 2, k)).toISOString();
            if (dataset === 'visits') {
              const p = pairs[(n + k) % pairs.length];
              return JSON.stringify({ id, cadreId: p.cadre_id, regionId: p.region_id, visitedAt: at, kind: 'HOME_VISIT', note: `负载测试 ${n}` });
            }
            const i = issues[(n + k) % issues.length];
            return JSON.stringify({ id, regionId: i.region_id, issueId: i.id, respondedAt: at, channel: 'PHONE_CALLBACK', score: 1 + ((n + k) % 5), resolved: 'YES' });
          });
          const body = lines.join('\n') + '\n';
          if (sent.length < 200) sent.push(body);
          return { ...req, body };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            badBodies++;
            noteError(`${status} ${body}`);
          }
        },
      };
    };
    const writers: LoadRequest[] = [importBatch('visits'), importBatch('survey_responses')];

    // Warm-up so the memory baseline is a running server, not a cold one.
    await autocannon({ url: base, connections: 2, amount: 50, requests: readers });
    const start = await serverMemory(base);
    const samples: Array<{ rss: number; heap: number }> = [start];
    const sampler = setInterval(() => {
      serverMemory(base).then((m) => samples.push(m), () => undefined);
    }, 10_000);
    console.log(`Running for ${SECONDS} s… (server RSS ${mb(start.rss)}, heap ${mb(start.heap)})`);
    const bound = { duration: SECONDS, maxOverallRequests: MAX_REQUESTS, timeout: 30 };
    const [read, write] = await Promise.all([
      autocannon({ url: base, connections: READERS, requests: readers, ...bound }),
      autocannon({ url: base, connections: WRITERS, requests: writers, ...bound }),
    ]);
    clearInterval(sampler);
    const end = await serverMemory(base);
    samples.push(end);
    // Idle for a while: what is left after the load is what the server keeps.
    await new Promise((r) => setTimeout(r, 15_000));
    const idle = await serverMemory(base);

    const row = (name: string, r: AutocannonResult) =>
      `${name.padEnd(8)} ${String(r.requests.total).padStart(8)} req  ${r.requests.average.toFixed(1).padStart(7)} req/s  ` +
      `p50 ${String(r.latency.p50).padStart(5)} ms  p90 ${String(r.latency.p90).padStart(5)} ms  p99 ${String(r.latency.p99).padStart(5)} ms  max ${String(r.latency.max).padStart(6)} ms  ` +
      `errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}`;
    console.log('');
    console.log(row('readers', read));
    console.log(row('writers', write));
    console.log(`GraphQL responses with errors: ${graphqlErrors}; import answers other than 200: ${badBodies}`);
    const rows: Array<{ n: number }> = await ds.query("SELECT COUNT(*) AS n FROM visits WHERE id LIKE 'load-%'");
    console.log(`Visits written by the load: ${rows[0].n}`);
    console.log(`Server RSS: start ${mb(start.rss)}, end ${mb(end.rss)}, max ${mb(Math.max(...samples.map((m) => m.rss)))} (drift ${mb(end.rss - start.rss)}); 15 s idle after: ${mb(idle.rss)}`);
    console.log(`Server heap used: start ${mb(start.heap)}, end ${mb(end.heap)}; 15 s idle after: ${mb(idle.heap)}`);
    console.log(`Every 10 s (RSS/heap MB): ${samples.map((m) => `${(m.rss / 1048576).toFixed(0)}/${(m.heap / 1048576).toFixed(0)}`).join(' ')}`);
    if (firstErrors.length) console.log(`First errors:\n  ${firstErrors.join('\n  ')}`);

    const stopAt = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    console.log(`SIGTERM → exit code ${code} in ${Date.now() - stopAt} ms`);
    child = undefined;
    const failed = read.errors + write.errors + read.non2xx + write.non2xx + graphqlErrors + badBodies + (code === 0 ? 0 : 1);
    process.exitCode = failed ? 1 : 0;
  } finally {
    child?.kill('SIGKILL');
    await ds.destroy();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
