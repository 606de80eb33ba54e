import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { Config, readConfig } from '../../src/config';
import { createDataSource } from '../../src/data-source';
import { StoreKind } from '../../src/database/dialect';
import { TEST_MYSQL_URL } from './mysql-url';

export interface TestStore {
  kind: StoreKind;
  /** The configuration the test's database answers to (override env with `configFor`). */
  config: Readonly<Config>;
  ds: DataSource;
  /** SQL statements seen since the last `resetQueries()` (for N+1 tests). */
  queries: string[];
  resetQueries(): void;
}

export const STORE_KINDS: StoreKind[] = ['sqlite', 'mysql'];

/** Creates an empty database of the given kind, migrated; `dispose` drops it. */
export async function openTestStore(
  kind: StoreKind,
  env: Record<string, string> = {},
): Promise<TestStore & { dispose(): Promise<void> }> {
  let databaseUrl: string;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'minqing-test-'));
    databaseUrl = `sqlite:${join(dir, 'test.sqlite')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `mq_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = await createConnection({ uri: TEST_MYSQL_URL });
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    databaseUrl = `${TEST_MYSQL_URL}/${name}`;
    drop = async () => {
      const c = await createConnection({ uri: TEST_MYSQL_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    };
  }
  // The analytics answer cache is off unless a test turns it on: fixtures are written straight
  // into the tables without a write stamp, so a cached answer would hide them.
  const config = readConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ANALYTICS_CACHE_TTL_MS: '0', ...env, DATABASE_URL: databaseUrl });
  const queries: string[] = [];
  const ds = createDataSource(config, { onQuery: (sql) => queries.push(sql) });
  try {
    await ds.initialize();
    await ds.runMigrations();
  } catch (err) {
    // A failed migration must fail the file, not leave an open pool that keeps Jest from exiting.
    if (ds.isInitialized) await ds.destroy();
    await drop();
    throw err;
  }
  queries.length = 0;
  return {
    kind,
    config,
    ds,
    queries,
    resetQueries: () => void (queries.length = 0),
    dispose: async () => {
      if (ds.isInitialized) await ds.destroy();
      await drop();
    },
  };
}

/**
 * Runs a suite once per store (SQLite, then MariaDB), each with a fresh migrated database
 * for the whole file. The MariaDB run is skipped only off CI when no server answers.
 */
export function describeStores(
  name: string,
  fn: (store: () => TestStore) => void,
  env: Record<string, string> = {},
): void {
  for (const kind of STORE_KINDS) {
    const skip = kind === 'mysql' && process.env.MINQING_TEST_MYSQL === 'off';
    (skip ? describe.skip : describe)(`${name} [${kind}]`, () => {
      let store: (TestStore & { dispose(): Promise<void> }) | undefined;
      beforeAll(async () => {
        store = await openTestStore(kind, env);
      });
      afterAll(async () => {
        await store?.dispose();
      });
      fn(() => {
        if (!store) throw new Error('store not open yet: use it inside a test or hook');
        return store;
      });
    });
  }
}
