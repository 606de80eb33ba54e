import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from '../app';
import type { Config } from '../config';
import { createDataSource } from '../database/data-source';
import { createLogger } from '../logger';
import { bootstrapDatabase } from './bootstrap';

/** Migrates, fills an empty database with the demo county (unless SEED_DEMO=false) and serves. */
export async function serve(config: Readonly<Config>): Promise<void> {
  const log = createLogger(config.logLevel);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await bootstrapDatabase(config, dataSource, (line) => console.log(line));
  const { app, stop } = await createApp({ config, dataSource, log });
  const server = createServer(app);
  server.listen(config.port);
  await once(server, 'listening');
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`Minqing is serving on ${base}`);
  console.log(`  GraphQL    ${base}/graphql`);
  console.log(`  health     ${base}/healthz   ready: ${base}/readyz`);
  const shutdown = async () => {
    server.close();
    await stop();
    await dataSource.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
