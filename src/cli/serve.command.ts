import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from '../app';
import type { Config } from '../config';
import { createDataSource } from '../data-source';
import { startExtractScheduler } from '../extracts/scheduler';
import { installGracefulShutdown } from '../http/shutdown';
import { createLogger } from '../logger';
import { createServices } from '../services';
import { bootstrapDatabase } from './bootstrap';
import { ensureFirstAdmin } from './user.command';

/** Migrates, fills an empty database with the demo county (unless SEED_DEMO=false) and serves. */
export async function serve(config: Readonly<Config>): Promise<void> {
  const log = createLogger(config.logLevel);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const services = createServices(config, dataSource, log);
  // Rollups to build from facts already stored (an upgrade, another zone) are built once serving:
  // /healthz answers at once, /readyz says 503 with the reason until they are done.
  await bootstrapDatabase(config, dataSource, (line) => console.log(line), { rollups: services.rollups, deferRollups: true });
  await ensureFirstAdmin(config, dataSource, (line) => console.log(line));
  const { app, stop } = await createApp({ config, dataSource, log, services });
  const server = createServer(app);
  server.listen(config.port);
  await once(server, 'listening');
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`Minqing is serving on ${base}`);
  console.log(`  dashboard  ${base}/dashboard`);
  console.log(`  playground ${base}/graphiql`);
  console.log(`  GraphQL    ${base}/graphql`);
  console.log(`  health     ${base}/healthz   ready: ${base}/readyz   metrics: ${base}/metrics`);
  if (services.rollups.stale().length) {
    services.rollups.buildStale((line) => console.log(line)).catch((err) => log.error('building the rollups failed; the engine keeps reading the raw tables', err));
  }
  const scheduler = config.extractJobs.length ? startExtractScheduler({ service: services.extracts, config, log }) : null;
  // SIGTERM/SIGINT: stop accepting, finish requests and streams (SHUTDOWN_GRACE_MS), close the pool, exit 0.
  // The services are serve's (createApp was handed them): their Redis connections close after Apollo.
  const stopApp = async () => {
    await stop();
    await services.close();
  };
  const shutdown = installGracefulShutdown({ server, dataSource, log, graceMs: config.shutdownGraceMs, stopApp, scheduler });
  const onSignal = (signal: NodeJS.Signals) => {
    log.info(`received ${signal}`);
    shutdown().then(
      () => process.exit(0),
      (err) => (log.error('shutdown failed', err), process.exit(1)),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
