import { once } from 'node:events';
import { createServer, get, IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp, MinqingApp } from '../../../src/app';
import { createDataSource } from '../../../src/data-source';
import { installGracefulShutdown } from '../../../src/http/shutdown';
import { buildCadre, buildRegion, buildVisit, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';
import { bearer, capturingLogger } from '../../helpers/reliability';

const ROWS = 2000;
const NOTE = '民情日记'.repeat(2000); // 24 kB of UTF-8 a row: the extract is ~48 MB, far more than socket buffers hold

describeStores('installGracefulShutdown', (store) => {
  beforeAll(async () => {
    const regions = [buildRegion({ id: 'sd-county' }), buildRegion({ id: 'sd-village', parentId: 'sd-county', level: 'VILLAGE' })];
    const visits = Array.from({ length: ROWS }, (_, i) => buildVisit({ id: `sd-v${String(i).padStart(5, '0')}`, cadreId: 'sd-cadre', regionId: 'sd-village', note: NOTE }));
    await insertFixtures(store().ds, { regions, cadres: [buildCadre({ id: 'sd-cadre', regionId: 'sd-village' })], visits });
    // Fixtures bypass the write clock; extracts serve rows up to its watermark.
    await store().ds.query('UPDATE write_clock SET last_ms = ? WHERE id = 1', [Date.UTC(2026, 0, 1)]);
  });

  /** A server over its own pool (the shutdown closes it), as `minqing serve` runs. */
  const start = async (graceMs: number) => {
    const dataSource = createDataSource(store().config);
    await dataSource.initialize();
    const { log, lines } = capturingLogger();
    const app: MinqingApp = await createApp({ config: store().config, dataSource, log });
    const server: Server = createServer(app.app);
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    let schedulerStopped = false;
    const scheduler = { stop: async () => void (schedulerStopped = true) };
    const shutdown = installGracefulShutdown({ server, dataSource, log, graceMs, stopApp: app.stop, scheduler });
    return { port, shutdown, dataSource, lines, app, schedulerStopped: () => schedulerStopped };
  };

  const openExtract = (port: number, auth: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/extracts/visits?format=ndjson', headers: { Authorization: auth }, agent: false }, resolve).on('error', reject);
    });
  const refused = (port: number) =>
    new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => (s.destroy(), resolve('connected')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(String(e.code)));
    });

  it('on shutdown: refuses new connections, finishes a streaming extract to its last row, then closes the pool', async () => {
    const auth = await bearer(store().ds);
    const sut = await start(30_000);
    const res = await openExtract(sut.port, auth);
    expect(res.statusCode).toBe(200);
    res.pause(); // a slow client: the server is mid-stream when the signal comes

    let done = false;
    const shutting = sut.shutdown().then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(await refused(sut.port)).toBe('ECONNREFUSED');
    expect(done).toBe(false); // still waiting for the stream
    expect(sut.dataSource.isInitialized).toBe(true);

    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.resume();
    await once(res, 'end');
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(ROWS);
    expect(JSON.parse(lines[ROWS - 1]).id).toBe(`sd-v${String(ROWS - 1).padStart(5, '0')}`);
    expect(res.complete).toBe(true);

    const report = await shutting;
    expect(report).toMatchObject({ inFlightAtStart: 1, cutConnections: 0, schedulerFinished: true });
    expect(sut.schedulerStopped()).toBe(true);
    expect(sut.dataSource.isInitialized).toBe(false);
  });

  it('closes idle keep-alive connections at once and cuts a stalled client at the deadline', async () => {
    const auth = await bearer(store().ds);
    const sut = await start(400);
    const idle = await new Promise<IncomingMessage>((resolve, reject) => get({ host: '127.0.0.1', port: sut.port, path: '/healthz' }, resolve).on('error', reject));
    idle.resume();
    await once(idle, 'end');
    const stalled = await openExtract(sut.port, auth);
    stalled.pause(); // never reads again
    stalled.on('error', () => undefined);
    const t0 = Date.now();
    const report = await sut.shutdown();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(report.cutConnections).toBe(1);
    expect(sut.lines.some((l) => l.msg === 'shutdown deadline reached: cutting the connections still open')).toBe(true);
    expect(sut.dataSource.isInitialized).toBe(false);
  });

  it('waits for the handler of a request whose client left before closing the pool', async () => {
    const sut = await start(10_000);
    let handler = 'running';
    // Stands for a slow query or import whose caller timed out: it still runs to its end.
    sut.app.app.get('/test-only/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 2500));
      try {
        await sut.dataSource.query('SELECT 1');
        handler = 'finished';
      } catch (err) {
        handler = `failed: ${(err as Error).message}`;
      }
      res.json({ ok: true });
    });
    const req = get({ host: '127.0.0.1', port: sut.port, path: '/test-only/slow', agent: false });
    req.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    req.destroy(); // the client gives up
    await new Promise((r) => setTimeout(r, 50));
    const report = await sut.shutdown();
    expect(handler).toBe('finished');
    expect(report.ms).toBeGreaterThanOrEqual(2000);
    expect(report.cutConnections).toBe(0);
    expect(sut.dataSource.isInitialized).toBe(false);
  });
});
