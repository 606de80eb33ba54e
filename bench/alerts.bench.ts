/**
 * Worklists (预警) bench: `alerts` for one township, every type, as of now — the service alone
 * (AlertsService.page, no answer cache) and through GraphQL with a page of 50 and each alert's
 * subject, region, department and cadre (the dashboard's badge and list). Goal at ×10: ≤ 300 ms
 * p95 (a bench figure, not a timed test).
 *
 * From bench/run.ts (BENCH_ONLY=alerts, MariaDB), or alone on any store:
 *   npm run build && DATABASE_URL=sqlite:/tmp/x10.sqlite BENCH_SCALE=10 node dist/bench/alerts.bench.js
 * which seeds the demo county at BENCH_SCALE into an empty database first and builds its rollups.
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { RequestAnswers } from '../src/analytics/answer-cache';
import { seedDatabase } from '../src/cli/seed.command';
import { readConfig } from '../src/config';
import { createDataSource } from '../src/data-source';
import { UNSCOPED } from '../src/domain/access';
import { contextFor } from '../src/graphql/context';
import { createApp } from '../src/app';
import { createLogger } from '../src/logger';
import { createServices, Services } from '../src/services';
import { timePaired } from './timing';

export interface AlertsTiming {
  what: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  /** Alerts in the township's list, by type. */
  counts?: string;
}

const PAGE = `query($regionId: ID) {
  alerts(regionId: $regionId, first: 50) {
    totalCount countsByType { type count }
    edges { cursor node { id type since ageHours region { name } department { name } cadre { name }
      subject { ... on Issue { id status dueAt } ... on Pairing { id startedOn } ... on Cadre { name rank } ... on Household { headName } } } }
  }
}`;

/** The township with the most households (the worst case of its level). */
export async function largestTownship(ds: DataSource): Promise<string> {
  const rows: Array<{ id: string }> = await ds.query(
    `SELECT c.ancestor_id AS id FROM households h JOIN region_closure c ON c.descendant_id = h.region_id AND c.ancestor_level = 'TOWNSHIP'
      GROUP BY c.ancestor_id ORDER BY COUNT(*) DESC, c.ancestor_id LIMIT 1`,
  );
  return String(rows[0].id);
}

/** Times `alerts` for `regionId` (service, then GraphQL as an ADMIN), `runs` timed runs each after a warm-up. */
export async function benchAlerts(services: Services, options: { regionId: string; runs?: number }): Promise<AlertsTiming[]> {
  const runs = options.runs ?? 20;
  const { regionId } = options;
  const app = await createApp({ config: services.config, dataSource: services.dataSource, log: createLogger('silent'), services });
  try {
    const page = await services.alerts.page({ regionId }, UNSCOPED);
    const counts = page.countsByType.map((c) => `${c.type} ${c.count}`).join(', ');
    const service = await timePaired(runs, () => services.alerts.page({ regionId }, UNSCOPED), null);
    const principal = { kind: 'token' as const, id: 'bench', name: 'bench', role: 'ADMIN' as const, regionId: null };
    const graphql = async () => {
      // A fresh context per request (fresh loaders), as /graphql makes, with no answer cache: the bench times the computing.
      const contextValue = { ...contextFor(services, createLogger('silent'), principal), answers: new RequestAnswers(null, async () => '', 'ADMIN', UNSCOPED) };
      const res = await app.apollo.executeOperation({ query: PAGE, variables: { regionId } }, { contextValue });
      if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(`alerts failed: ${JSON.stringify(res.body.kind === 'single' ? res.body.singleResult.errors : res.body)}`);
    };
    const viaGraphql = await timePaired(runs, graphql, null);
    return [
      { what: `alerts service, township ${regionId} (${page.totalCount} alerts)`, runs: service.fn.runs, p50Ms: service.fn.p50, p95Ms: service.fn.p95, counts },
      { what: `alerts GraphQL, township ${regionId}: page of 50 with subjects`, runs: viaGraphql.fn.runs, p50Ms: viaGraphql.fn.p50, p95Ms: viaGraphql.fn.p95 },
    ];
  } finally {
    await app.stop();
  }
}

async function main() {
  const scale = Number(process.env.BENCH_SCALE ?? 10);
  const config = readConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ANALYTICS_CACHE_TTL_MS: '0', DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:/tmp/minqing-alerts-bench-x${scale}.sqlite` });
  const ds = createDataSource(config);
  await ds.initialize();
  await ds.runMigrations();
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM households');
  if (Number(n) === 0) await seedDatabase(ds, config, { scale, say: (l) => console.error(`seed: ${l}`) });
  const services = createServices(config, ds);
  await services.rollups.load();
  await services.rollups.buildStale((l) => console.error(`rollups: ${l}`));
  const regionId = process.env.BENCH_REGION ?? (await largestTownship(ds));
  const [{ households }] = await ds.query(
    "SELECT COUNT(*) AS households FROM households h JOIN region_closure c ON c.descendant_id = h.region_id AND c.ancestor_id = ?",
    [regionId],
  );
  console.log(`alerts bench on ${ds.options.type} ×${scale}, township ${regionId} (${households} households)`);
  console.log('| what | runs | p50 ms | p95 ms |');
  console.log('|---|---:|---:|---:|');
  for (const t of await benchAlerts(services, { regionId, runs: Number(process.env.BENCH_RUNS ?? 20) })) {
    console.log(`| ${t.what} | ${t.runs} | ${t.p50Ms.toFixed(1)} | ${t.p95Ms.toFixed(1)} |`);
    if (t.counts) console.log(`|   by type: ${t.counts} | | | |`);
  }
  await services.close();
  await ds.destroy();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
