import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';

export interface ShutdownDeps {
  server: Server;
  dataSource: DataSource;
  log: Logger;
  /** How long in-flight requests (extract streams included) and scheduled extracts may take (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  /** Stops Apollo (createApp's `stop`). */
  stopApp?: () => Promise<void>;
  /** The extract scheduler: it finishes a running job before it resolves. */
  scheduler?: { stop(): Promise<void> } | null;
}

/** What a shutdown did: how long it took and how many connections the deadline had to cut. */
export interface ShutdownReport {
  ms: number;
  inFlightAtStart: number;
  cutConnections: number;
  schedulerFinished: boolean;
}

/**
 * Installs graceful shutdown on a listening server and returns the function that performs it:
 * stop accepting connections, let in-flight requests and extract streams finish (telling
 * keep-alive clients to go away), wait for a running scheduled extract, and after `graceMs` cut
 * what is left; then stop Apollo and close the database pool. Calling it twice returns the same run.
 */
export function installGracefulShutdown(deps: ShutdownDeps): () => Promise<ShutdownReport> {
  const { server, log } = deps;
  let draining = false;
  let inFlight = 0;
  // Runs before the app on every request: counts it until its handler ends the response and,
  // once draining, asks the client to close the connection after it.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    let settled = false;
    const settle = () => {
      if (!settled) (settled = true), inFlight--;
    };
    const end = res.end;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      settle();
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.end;
    const destroy = res.destroy;
    res.destroy = function (this: ServerResponse, ...args: unknown[]) {
      settle();
      return (destroy as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.destroy;
    // A client that left mid-stream: the stream is torn down at once and never ends the response.
    // A client that left before any answer: its handler (a query, an import transaction) is
    // still working and will end the response; it is waited for, up to the deadline.
    res.once('close', () => {
      if (res.writableEnded || res.headersSent) settle();
    });
    if (draining && !res.headersSent) res.setHeader('Connection', 'close');
  });

  let running: Promise<ShutdownReport> | null = null;
  return () => {
    running ??= (async () => {
      const started = Date.now();
      draining = true;
      const inFlightAtStart = inFlight;
      log.info('shutting down: no new connections; waiting for requests in flight', { inFlight, graceMs: deps.graceMs });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), deps.graceMs).unref());
      const schedulerDone = deps.scheduler ? deps.scheduler.stop().then(() => true, () => true) : Promise.resolve(true);

      let cutConnections = 0;
      const handlersDone = closed.then(() => waitFor(() => inFlight === 0));
      if ((await Promise.race([handlersDone.then(() => 'done' as const), deadline])) === 'deadline') {
        cutConnections = await countConnections(server);
        log.warn('shutdown deadline reached: cutting the connections still open', { connections: cutConnections, inFlight });
        server.closeAllConnections();
        await closed;
      }
      const schedulerFinished = await Promise.race([schedulerDone, deadline.then(() => false)]);
      if (!schedulerFinished) log.warn('shutdown deadline reached with a scheduled extract still running; its temp file is left, its manifest not written');
      await deps.stopApp?.().catch((err) => log.error('stopping Apollo failed', err));
      if (deps.dataSource.isInitialized) await deps.dataSource.destroy().catch((err) => log.error('closing the database pool failed', err));
      const report = { ms: Date.now() - started, inFlightAtStart, cutConnections, schedulerFinished };
      log.info('shut down', report);
      return report;
    })();
    return running;
  };
}

function countConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}
