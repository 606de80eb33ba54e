/**
 * `node dist/bench/explain.js`: EXPLAIN of every SQL shape the metrics engine and the dashboard
 * issue, on the bench database (BENCH_SCALE, default 10). Prints a markdown section per
 * statement: the plan rows and the fact tables read with a full scan (type ALL) or a full
 * index scan (type index). The findings are kept by hand in bench/EXPLAIN.md.
 */
import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DashboardService } from '../src/analytics/dashboard/dashboard.service';
import { MetricsQueryArgs, MetricsService } from '../src/analytics/metrics.service';
import { createServices } from '../src/services';
import { readConfig } from '../src/config';
import { createDataSource } from '../src/data-source';
import { UNSCOPED } from '../src/domain/access';

const env = process.env;
const SCALE = Number(env.BENCH_SCALE ?? 10);
const BASE_URL = (env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');

async function main() {
  const db = `minqing_bench_${SCALE}`;
  const config = readConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_URL: `${BASE_URL}/${db}`, MAX_RANGE_DAYS: '3660' });
  let current: Array<{ sql: string; params: unknown[] }> | null = null;
  const ds = createDataSource(config, { onQuery: (sql, params) => current?.push({ sql, params: params ?? [] }) });
  await ds.initialize();
  const services = createServices(config, ds);
  await services.rollups.load();
  const raw = await createConnection({ uri: `${BASE_URL}/${db}`, charset: 'utf8mb4_unicode_ci', timezone: 'Z' });
  const metrics = services.metrics;
  const rawMetrics = new MetricsService(ds, config, { rollups: false });
  const dash = new DashboardService(ds, config, metrics);
  const f = await dash.resolveFilter({ from: '2026-08-02', to: '2026-10-31' }, UNSCOPED);
  const twoYears = { from: '2024-11-01', to: '2026-10-31' };
  const shapes: Array<[string, () => Promise<unknown>]> = [
    ['satisfaction by month (rollup)', () => metrics.compute({ measures: ['SATISFIED_RATE'], dimensions: ['PERIOD'], granularity: 'MONTH', ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['satisfaction by month (raw)', () => rawMetrics.compute({ measures: ['SATISFIED_RATE'], dimensions: ['PERIOD'], granularity: 'MONTH', ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['satisfaction by village (raw)', () => rawMetrics.compute({ measures: ['SATISFIED_RATE'], dimensions: ['REGION'], regionLevel: 'VILLAGE', regionId: undefined, ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['visits by township × month', () => metrics.compute({ measures: ['VISITS', 'HOLIDAY_VISIT_SHARE'], dimensions: ['REGION', 'PERIOD'], regionLevel: 'TOWNSHIP', granularity: 'MONTH', ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['issue cohort by category', () => metrics.compute({ measures: ['RESPONSE_RATE', 'RESOLUTION_RATE', 'THREE_RATE_SCORE'], dimensions: ['CATEGORY'], ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['resolve-hours percentiles by township', () => metrics.compute({ measures: ['MEDIAN_HOURS_TO_RESOLVE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', ...twoYears } as MetricsQueryArgs, UNSCOPED)],
    ['backlog by month', () => metrics.compute({ measures: ['BACKLOG'], dimensions: ['PERIOD'], granularity: 'MONTH', from: '2025-11-01', to: '2026-10-31' } as MetricsQueryArgs, UNSCOPED)],
    ['paired coverage by township', () => metrics.compute({ measures: ['PAIRED_COVERAGE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2026-10-01', to: '2026-10-31' } as MetricsQueryArgs, UNSCOPED)],
    ['dashboard backlogAgeing', () => dash.backlogAgeing(f, UNSCOPED)],
    ['dashboard falseClosures', () => dash.falseClosures(f, UNSCOPED, 'TOWNSHIP')],
  ];
  for (const [name, run] of shapes) {
    current = [];
    await run();
    const statements = current.filter((s) => /^\s*(WITH|SELECT)/i.test(s.sql));
    current = null;
    console.log(`### ${name}\n`);
    for (const [i, st] of statements.entries()) {
      const [plan] = (await raw.query(`EXPLAIN ${st.sql}`, st.params)) as unknown as [Array<Record<string, unknown>>];
      // Tables appear under their aliases (f, x, i): a big scan is any ALL/index step over 10k rows.
      const scans = plan.filter((p) => (p.type === 'ALL' || p.type === 'index') && Number(p.rows) >= 10_000);
      console.log(`statement ${i + 1}: ${st.sql.replace(/\s+/g, ' ').slice(0, 160)}…\n`);
      console.log('| id | select_type | table | type | key | rows | Extra |\n|---|---|---|---|---|---:|---|');
      for (const p of plan) console.log(`| ${p.id} | ${p.select_type} | ${p.table} | ${p.type} | ${p.key ?? ''} | ${p.rows} | ${String(p.Extra ?? '').slice(0, 80)} |`);
      console.log(scans.length ? `\n**scans over 10k rows:** ${scans.map((p) => `${p.table} (${p.type}, ${p.rows} rows)`).join(', ')}\n` : '\nno full scan of a fact table\n');
    }
  }
  await raw.end();
  await ds.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
