import express from 'express';
import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { readConfig } from '../../../src/config';
import { routeLabel } from '../../../src/http/ops.routes';
import { reenterRequestScope } from '../../../src/http/request-id';
import { describeStores } from '../../helpers/stores';
import { bearer, capturingLogger } from '../../helpers/reliability';

describeStores('ServiceMetrics, request ids and logs', (store) => {
  let sut: MinqingApp;
  let auth: string;
  const { log, lines } = capturingLogger('info');

  beforeAll(async () => {
    sut = await createApp({ config: store().config, dataSource: store().ds, log });
    auth = await bearer(store().ds);
  });
  afterAll(async () => {
    await sut.stop();
  });

  it('makes a request id when none is sent, and echoes a sent one', async () => {
    const made = await request(sut.app).get('/healthz');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await request(sut.app).get('/healthz').set('X-Request-Id', 'client-abc.123');
    expect(echoed.headers['x-request-id']).toBe('client-abc.123');
    // A hostile id (spaces, newline-ish, too long) is replaced, not echoed.
    const hostile = await request(sut.app).get('/healthz').set('X-Request-Id', 'a b"c');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const long = await request(sut.app).get('/healthz').set('X-Request-Id', 'x'.repeat(129));
    expect(long.headers['x-request-id']).not.toBe('x'.repeat(129));
  });

  it('logs one access line per request with its id, and no credentials', async () => {
    lines.length = 0;
    const res = await request(sut.app)
      .post('/graphql')
      .set('Authorization', auth)
      .set('X-Request-Id', 'req-log-1')
      .send({ query: '{ regions(first: 1) { totalCount } }' });
    expect(res.status).toBe(200);
    const access = lines.filter((l) => l.requestId === 'req-log-1' && l.res);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 } });
    expect(typeof access[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain(auth.slice('Bearer '.length));
  });

  it('names the request on lines logged by code that only holds the app logger, across a body parser and awaits', async () => {
    // A route added after createApp runs behind its middleware, like every real route.
    sut.app.post('/test-only/log', express.json(), reenterRequestScope, async (_req, res) => {
      await new Promise((r) => setTimeout(r, 5));
      log.warn('logged deep inside the request', { where: 'test' });
      res.status(500).json({ ok: false });
    });
    lines.length = 0;
    const res = await request(sut.app).post('/test-only/log').set('X-Request-Id', 'req-log-2').send({ a: 1 });
    expect(res.status).toBe(500);
    const deep = lines.find((l) => l.msg === 'logged deep inside the request');
    expect(deep).toMatchObject({ requestId: 'req-log-2', where: 'test', level: 40 });
    // The access line of a 5xx is an error line.
    expect(lines.find((l) => l.res)).toMatchObject({ requestId: 'req-log-2', level: 50 });
    // Outside any request nothing is added.
    log.info('outside');
    expect(lines.find((l) => l.msg === 'outside')?.requestId).toBeUndefined();
  });

  it('serves Prometheus text with request, latency, GraphQL, pool and process metrics', async () => {
    await request(sut.app).post('/graphql').set('Authorization', auth).send({ query: 'query Towns { regions(first: 2) { totalCount } }', operationName: 'Towns' });
    await request(sut.app).post('/graphql').set('Authorization', auth).send({ query: 'query Towns { regions(first: 2) { totalCount } }', operationName: 'Towns' });
    await request(sut.app).post('/graphql').set('Authorization', auth).send({ query: '{ region(id: 1) { nope } }' });
    await request(sut.app).post('/api/import/nonsense').set('Authorization', auth).set('Content-Type', 'application/x-ndjson').send('{}');
    const res = await request(sut.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('# TYPE minqing_http_requests_total counter');
    expect(text).toContain('# TYPE minqing_http_request_duration_seconds histogram');
    expect(text).toMatch(/minqing_graphql_operations_total\{operation="Towns",type="query"\} 2\n/);
    expect(text).toMatch(/minqing_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1\n/);
    expect(text).toMatch(/minqing_http_requests_total\{method="POST",route="\/api\/import\/:dataset",status="404"\} 1\n/);
    expect(text).toMatch(/minqing_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} \d+\n/);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    if (store().kind === 'mysql') {
      expect(text).toMatch(/minqing_db_pool_max 10\n/);
      expect(text).toMatch(/minqing_db_pool_connections \d+\n/);
      expect(text).toMatch(/minqing_db_pool_connections_in_use \d+\n/);
    }
    // Every sample line parses as name{labels} value.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+$/);
    }
  });

  it('counts 5xx answers as errors', async () => {
    const text = (await request(sut.app).get('/metrics')).text;
    expect(text).toMatch(/minqing_http_errors_total\{route="other",status="500"\} 1\n/);
    expect(text).toMatch(/minqing_http_requests_in_flight 1\n/); // the scrape itself
  });

  it('asks for METRICS_TOKEN when one is configured', async () => {
    const config = readConfig({ LOG_LEVEL: 'silent', DATABASE_URL: store().config.databaseUrl, METRICS_TOKEN: 's3cret-token' });
    const guarded = await createApp({ config, dataSource: store().ds, log });
    try {
      expect((await request(guarded.app).get('/metrics')).status).toBe(401);
      expect((await request(guarded.app).get('/metrics').set('Authorization', 'Bearer wrong-token1')).status).toBe(401);
      const ok = await request(guarded.app).get('/metrics').set('Authorization', 'Bearer s3cret-token');
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('minqing_http_requests_total');
    } finally {
      await guarded.stop();
    }
  });
});

describe(routeLabel.name, () => {
  it.each([
    ['/graphql', '/graphql'],
    ['/graphql/', '/graphql'],
    ['/api/import/visits', '/api/import/:dataset'],
    ['/api/extracts/issue_facts', '/api/extracts/:dataset'],
    ['/api/extracts', '/api/extracts'],
    ['/dashboard/assets/app.js', '/dashboard/*'],
    ['/wp-admin/x', 'other'],
    ['/api/import/a/b', 'other'],
  ])('%s → %s', (path, label) => expect(routeLabel(path)).toBe(label));
});

describeStores('start-up with rollups to build from stored facts', (store) => {
  it('is live at once and ready only once the rollups are built, saying which one it builds', async () => {
    const { insertFixtures, buildRegion, buildSurveyResponse } = await import('../../factories');
    // Facts stored before the rollups existed (as a database upgraded from an earlier version).
    await insertFixtures(store().ds, { regions: [buildRegion({ id: 'C' })], survey_responses: [buildSurveyResponse({ regionId: 'C' })] });
    const { log } = capturingLogger('info');
    const { createServices } = await import('../../../src/services');
    const services = createServices(store().config, store().ds);
    await services.rollups.load();
    const sut = await createApp({ config: store().config, dataSource: store().ds, log, services });
    const build = services.rollups.build.bind(services.rollups);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    jest.spyOn(services.rollups, 'build').mockImplementationOnce(async (r) => {
      await gate;
      return build(r);
    });
    const building = services.rollups.buildStale(() => undefined);
    try {
      expect((await request(sut.app).get('/healthz')).status).toBe(200);
      const notReady = await request(sut.app).get('/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toEqual({ status: 'starting', reason: expect.stringMatching(/^building the satisfaction rollup \(1 of 16\); the engine reads the raw tables for it until then$/) });
    } finally {
      release();
      await building;
    }
    expect((await request(sut.app).get('/readyz')).body).toEqual({ status: 'ready' });
    expect(services.rollups.stale()).toEqual([]);
    await sut.stop();
  });
});
