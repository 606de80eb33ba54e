import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp, MinqingApp } from '../../../src/app';
import type { Config } from '../../../src/config';
import { createDataSource } from '../../../src/data-source';
import type { Logger } from '../../../src/logger';
import { RedisLink } from '../../../src/coordination/redis-link';
import { WriteAnnouncements } from '../../../src/coordination/write-announcements';
import { startPrivateRedis, PrivateRedis } from '../../helpers/private-redis';
import { describeStores, TestStore } from '../../helpers/stores';

/*
 * Two service processes on one database and one Redis (api.md "Several processes"): each has
 * its own data source (its own connections), services, answer cache, rate-limit counters and
 * Redis connections, as two `minqing serve` processes would; only the database and the Redis
 * (a private redis-server this test starts, and kills) are shared.
 */

const LIMIT = 20;
const OVERVIEW = '{ dashboard(filter: { from: "2025-03-01", to: "2025-03-31" }) { overview { measure value { value } } } }';
const resp = (id: string, score: number) => JSON.stringify({ id, regionId: 'v1', respondedAt: '2025-03-10T02:00:00Z', channel: 'PHONE_CALLBACK', score });

interface Process {
  app: MinqingApp;
  ds: DataSource;
  /** SQL this process sent since the last reset. */
  queries: string[];
  warnings: string[];
  infos: string[];
}

async function startProcess(store: TestStore, redis: PrivateRedis, own: boolean): Promise<Process> {
  const config: Readonly<Config> = {
    ...store.config,
    redisUrl: redis.url,
    analyticsCacheTtlMs: 3_600_000, // an hour: only an announced write can make an answer fresh
    limits: { ...store.config.limits, requestsPerMinute: LIMIT },
  };
  const queries: string[] = [];
  const ds = own ? createDataSource(config, { onQuery: (sql) => queries.push(sql) }) : store.ds;
  if (own) await ds.initialize();
  const warnings: string[] = [];
  const infos: string[] = [];
  const log: Logger = { error: () => {}, debug: () => {}, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
  const app = await createApp({ config, dataSource: ds, log });
  return { app, ds, queries: own ? queries : store.queries, warnings, infos };
}

const until = async (what: string, ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const following = (p: Process) => p.app.services.redis!.isUp() && p.app.services.announcements!.current() !== null;

describeStores('several service processes sharing one database and one Redis', (store) => {
  let redis: PrivateRedis;
  let a: Process;
  let b: Process;
  let ingest: string;
  let analyst: string;

  const responses = async (p: Process, auth = analyst) => {
    const res = await request(p.app.app).post('/graphql').set('Authorization', auth).send({ query: OVERVIEW });
    expect(res.status).toBe(200);
    return (res.body.data.dashboard.overview as Array<{ measure: string; value: { value: number } }>).find((t) => t.measure === 'RESPONSES')!.value.value;
  };
  const importResponses = async (p: Process, ...lines: string[]) => {
    const res = await request(p.app.app).post('/api/import/survey_responses').set('Authorization', ingest).set('Content-Type', 'application/x-ndjson').send(lines.join('\n') + '\n');
    expect(res.status).toBe(200);
  };
  const newToken = async (role: 'ANALYST' | 'ADMIN' = 'ANALYST') => `Bearer ${(await a.app.auth.createToken({ role, name: `t${Math.random()}` })).token}`;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    a = await startProcess(store(), redis, false);
    b = await startProcess(store(), redis, true);
    await until('both processes to follow the write announcements', () => following(a) && following(b));
    ingest = `Bearer ${(await a.app.auth.createToken({ role: 'INGEST', name: 'ingest' })).token}`;
    analyst = await newToken();
    const regions = [
      { id: 'cty', level: 'COUNTY', name: '县' },
      { id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '一镇' },
      { id: 'v1', parentId: 't1', level: 'VILLAGE', name: '一村' },
    ];
    await request(a.app.app).post('/api/import/regions').set('Authorization', ingest).set('Content-Type', 'application/x-ndjson').send(regions.map((r) => JSON.stringify(r)).join('\n'));
    await importResponses(a, resp('r1', 5), resp('r2', 3));
  });
  afterAll(async () => {
    await a?.app.stop();
    await b?.app.stop();
    if (b?.ds.isInitialized) await b.ds.destroy();
    await redis?.kill();
  });

  it('follows the announcements once it can name the database, even when it could not at start-up (not migrated yet)', async () => {
    const quiet: Logger = { error: () => {}, debug: () => {}, warn: () => {}, info: () => {} };
    const link = new RedisLink(redis.url, quiet);
    let attempts = 0;
    const channel = async () => {
      if (++attempts === 1) throw new Error('no such table: settings');
      return 'minqing:writes:test-late';
    };
    const w = new WriteAnnouncements(link, channel, async () => 42, quiet, 50);
    try {
      await until('the retry to follow', () => w.current() !== null);
      expect(w.current()).toBe(42);
      expect(attempts).toBeGreaterThanOrEqual(2);
    } finally {
      w.close();
      await link.close();
    }
  });

  it('shares the per-principal limit: a burst split across both processes is refused once in total, past the limit', async () => {
    const token = await newToken();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 4; i++) {
      const p = i % 2 === 0 ? a : b;
      statuses.push((await request(p.app.app).post('/graphql').set('Authorization', token).send({ query: '{ me { role } }' })).status);
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429]);
    // Each process alone counted only half: without Redis neither would have refused anything.
  });

  it('makes an import in one process visible in the other’s next dashboard answer (answers cached for an hour)', async () => {
    expect(await responses(b)).toBe(2);
    b.queries.length = 0;
    expect(await responses(b)).toBe(2);
    // Answered from the cache without asking the database for the data version: it was pushed.
    expect(b.queries.filter((q) => /write_clock/.test(q))).toEqual([]);
    await importResponses(a, resp('r3', 4));
    expect(await responses(b)).toBe(3);
    expect(await responses(a)).toBe(3);
    await importResponses(b, resp('r4', 4));
    expect(await responses(a)).toBe(4);
  });

  it('loses no request when Redis is killed mid-run, stays exact meanwhile, and shares again once Redis is back', async () => {
    // Requests in flight on both processes while Redis is killed: every one is answered.
    const token = await newToken();
    const inFlight: Array<Promise<number>> = [];
    for (let i = 0; i < 16; i++) {
      const p = i % 2 === 0 ? a : b;
      inFlight.push(
        new Promise((r) => setTimeout(r, i * 5)).then(async () =>
          i % 5 === 2
            ? (await request(p.app.app).post('/api/import/survey_responses').set('Authorization', ingest).set('Content-Type', 'application/x-ndjson').send(resp(`k${i}`, 5) + '\n')).status
            : (await request(p.app.app).post('/graphql').set('Authorization', token).send({ query: OVERVIEW })).status,
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 30));
    await redis.kill();
    expect(await Promise.all(inFlight)).toEqual(Array(16).fill(200));
    let expected = 4 + 3; // r1–r4, and k2, k7, k12
    for (const p of [a, b]) {
      await until('the loss to be noticed', () => p.app.services.announcements!.current() === null);
      expect(p.warnings.filter((w) => /Redis at 127\.0\.0\.1:\d+ is unreachable/.test(w))).toHaveLength(1);
    }
    // Meanwhile each process reads the data version from the database: a write in one is seen at once by the other.
    for (let i = 0; i < 4; i++) {
      const [p, other] = i % 2 === 0 ? [a, b] : [b, a];
      expect(await responses(other)).toBe(expected);
      await importResponses(p, resp(`down${i}`, 4));
      expected++;
      expect(await responses(other)).toBe(expected);
    }
    // Per-process counting meanwhile: the limit applies to each process alone.
    const burst = await newToken();
    for (let i = 0; i < LIMIT; i++) expect((await request(a.app.app).post('/graphql').set('Authorization', burst).send({ query: '{ me { role } }' })).status).toBe(200);
    expect((await request(b.app.app).post('/graphql').set('Authorization', burst).send({ query: '{ me { role } }' })).status).toBe(200);

    await redis.start();
    await until('both processes to follow again', () => following(a) && following(b));
    for (const p of [a, b]) expect(p.infos.filter((m) => /Redis at 127\.0\.0\.1:\d+ is back/.test(m))).toHaveLength(1);
    const again = await newToken();
    const after: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) after.push((await request((i % 2 === 0 ? a : b).app.app).post('/graphql').set('Authorization', again).send({ query: '{ me { role } }' })).status);
    expect(after).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    b.queries.length = 0;
    expect(await responses(b)).toBe(expected);
    expect(b.queries.filter((q) => /write_clock/.test(q))).toEqual([]); // pushed again
    await importResponses(a, resp('back', 5));
    expect(await responses(b)).toBe(expected + 1);
  });
});
