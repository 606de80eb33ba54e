/**
 * `npm run bench`: the demo county at scale on MariaDB, measured in one run.
 *
 * For each scale (BENCH_SCALES, default "1,10"; "1,10,100" for ×100) it creates database
 * `minqing_bench_<scale>` on BENCH_MYSQL_URL (default the local server), seeds the demo
 * county unless it is already seeded (BENCH_RESEED=1 forces a fresh one): all but the last
 * BENCH_LATE_DAYS (30) days with no rollup built (bulk import, records/s; BENCH_SEED_IN_FLIGHT
 * batches in flight, default 2), then builds the rollups (seconds), then imports those last
 * days with every rollup kept (records/s, batches of 5000 one after the other, generated
 * beforehand). Then it reports:
 *  - the worklists (`alerts`) of one township, service and GraphQL (bench/alerts.bench.ts);
 *  - every dashboard panel (bench/dashboard.bench.ts) and a set of `metrics` queries: p50/p95
 *    latency over BENCH_RUNS runs (default 20) after a warm-up (bench/timing.ts), SQL
 *    statements issued, and the ratio of the service's p50 to the p50 of the raw SQL it issued
 *    (captured with the DataSource logger, replayed alone on a plain mysql2 connection: the
 *    floor any implementation of the same SQL pays), the two timed in turns (timePaired);
 *  - extract throughput (rows/s) and peak RSS (src/extracts/extract.bench.ts).
 * Writes a markdown table to bench/results/<date>-x<scale>.md and prints it.
 * A script, like the test helpers, so it reads its knobs from the environment itself.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { MetricsQueryArgs, MetricsService } from '../src/analytics/metrics.service';
import { demoBatches } from '../seeds/demo-batches';
import { DEMO_RANGE, DemoRecord } from '../seeds/demo-county';
import { ImportService } from '../src/import/import.service';
import { seedDatabase } from '../src/cli/seed.command';
import type { Dataset } from '../src/domain/datasets';
import { readConfig } from '../src/config';
import { createDataSource } from '../src/data-source';
import { benchExtract } from '../src/extracts/extract.bench';
import { UNSCOPED } from '../src/domain/access';
import { createApp } from '../src/app';
import { createServices } from '../src/services';
import { contextFor } from '../src/graphql/context';
import { installStatementTimeout, sessionSettings } from '../src/database/session-settings';
import { createLogger } from '../src/logger';
import { benchAlerts, largestTownship } from './alerts.bench';
import { benchDashboard } from './dashboard.bench';
import { timePaired } from './timing';

const env = process.env;
const SCALES = (env.BENCH_SCALES ?? '1,10').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const BASE_URL = (env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const RUNS = Number(env.BENCH_RUNS ?? 20);
const RESEED = env.BENCH_RESEED === '1';
const ONLY = (env.BENCH_ONLY ?? 'seed,dashboard,metrics,nested,alerts,extract').split(',');
/** Days of activity a fresh bench database imports after its rollups are built (BENCH_LATE_DAYS). */
const LATE_DAYS = Number(env.BENCH_LATE_DAYS ?? 30);
/** The instant that places a record of a dataset in time (datasets without one are seeded whole first). */
const LATE_FIELDS: Record<string, string> = { visits: 'visitedAt', issues: 'receivedAt', issue_events: 'at', survey_responses: 'respondedAt' };
/** The dashboard's range: one year of the demo county (BENCH_DASHBOARD_FROM/TO). */
const DASHBOARD_FROM = env.BENCH_DASHBOARD_FROM ?? '2025-11-01';
const DASHBOARD_TO = env.BENCH_DASHBOARD_TO ?? '2026-10-31';

interface Captured {
  sql: string;
  params: unknown[];
}

/** The statements the data source runs while `capture` is open (the bench's query tap). */
class SqlCapture {
  private current: Captured[] | null = null;
  readonly tap = (sql: string, params?: unknown[]) => {
    if (this.current && !/^(START TRANSACTION|COMMIT|ROLLBACK|SET )/i.test(sql)) this.current.push({ sql, params: params ?? [] });
  };
  start(): void {
    this.current = [];
  }
  get open(): boolean {
    return this.current !== null;
  }
  stop(): Captured[] {
    const out = this.current ?? [];
    this.current = null;
    return out;
  }
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Replays captured statements alone, one after another, on a plain mysql2 connection, through
 * its callback API: mysql2's promise wrapper builds an Error (a stack trace) for every query,
 * which would make the floor look slower than it is.
 */
function rawReplay(conn: Connection, statements: Captured[]) {
  const plain = (conn as unknown as { connection: { query(sql: string, params: unknown[], cb: (err: Error | null) => void): void } }).connection;
  const one = (s: Captured) => new Promise<void>((resolve, reject) => plain.query(s.sql, s.params, (err) => (err ? reject(err) : resolve())));
  return async () => {
    for (const s of statements) await one(s);
  };
}

/** The `metrics` queries the bench times (the demo county's two years end 2026-10-31); `true`: also timed on the raw tables. */
function metricsQueries(): Array<[string, MetricsQueryArgs, boolean]> {
  const twoYears = { from: '2024-11-01', to: '2026-10-31' };
  const lastMonth = { from: '2026-10-01', to: '2026-10-31' };
  const townshipMonths = { dimensions: ['REGION', 'PERIOD'], regionLevel: 'TOWNSHIP', granularity: 'MONTH', ...twoYears };
  return [
    ['county monthly trend, 2 years (SATISFIED_RATE, RESPONSES)', { measures: ['SATISFIED_RATE', 'RESPONSES'], dimensions: ['PERIOD'], granularity: 'MONTH', ...twoYears }, true],
    ['township ranking, last month (SATISFIED_RATE)', { measures: ['SATISFIED_RATE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', ...lastMonth }, true],
    ['township × month visits, 2 years (VISITS, HOLIDAY_VISIT_SHARE)', { measures: ['VISITS', 'HOLIDAY_VISIT_SHARE'], ...townshipMonths }, false],
    ['issue cohort by category, 2 years (3 rates + score)', { measures: ['RESPONSE_RATE', 'RESOLUTION_RATE', 'ISSUE_SATISFIED_RATE', 'THREE_RATE_SCORE'], dimensions: ['CATEGORY'], ...twoYears }, false],
    ['resolve hours p50/p90 by township, 2 years', { measures: ['MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', ...twoYears }, false],
    ['backlog by department, month ends of a year', { measures: ['BACKLOG'], dimensions: ['DEPARTMENT', 'PERIOD'], granularity: 'MONTH', from: '2025-11-01', to: '2026-10-31' }, false],
    ['village ranking, last month (SATISFIED_RATE)', { measures: ['SATISFIED_RATE'], dimensions: ['REGION'], regionLevel: 'VILLAGE', ...lastMonth }, true],
    // Every catalogue measure by township × month over two years (one query per family).
    ['township × month, 2 years: satisfaction (4 measures)', { measures: ['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE'], ...townshipMonths }, false],
    ['township × month, 2 years: visits (VISITS, VILLAGE_STAY_DAYS, HOLIDAY_VISIT_SHARE, VISIT_ISSUE_RATE)', { measures: ['VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE'], ...townshipMonths }, false],
    ['township × month, 2 years: HOUSEHOLDS_VISITED', { measures: ['HOUSEHOLDS_VISITED'], ...townshipMonths }, false],
    ['township × month, 2 years: VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE', { measures: ['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE'], ...townshipMonths }, false],
    ['township × month, 2 years: issue cohort (12 measures)', { measures: ['ISSUES_RECEIVED', 'RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE', 'ON_TIME_RATE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'PROACTIVE_RATE', 'THREE_RATE_SCORE'], ...townshipMonths }, false],
    ['township × month, 2 years: percentiles (3 measures)', { measures: ['MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE'], ...townshipMonths }, false],
    ['township × month, 2 years: BACKLOG', { measures: ['BACKLOG'], ...townshipMonths }, false],
    ['township × month, 2 years: PAIRED_COVERAGE', { measures: ['PAIRED_COVERAGE'], ...townshipMonths }, false],
  ] as Array<[string, MetricsQueryArgs, boolean]>;
}

/**
 * Nested entity queries through Apollo (as /graphql runs them), with the relation levels each
 * one has: the DataLoaders must issue one statement per level, whatever the number of rows.
 */
function nestedQueries(): Array<[string, number, string]> {
  return [
    ['regions: townships → villages → groups', 3, '{ regions(level: TOWNSHIP, first: 200) { edges { node { name children { name children { name } } } } } }'],
    [
      'issues (100) → events → department, surveys → cadre, household → region → ancestors',
      6,
      '{ issues(first: 100) { edges { node { id events { type department { name } } surveys { score cadre { name } } household { headName region { name ancestors { name } } } } } } }',
    ],
    ['households (200) → pairings → cadre → region → parent', 5, '{ households(first: 200) { edges { node { headName pairings { startedOn cadre { name region { name parent { name } } } } } } } }'],
  ];
}

/** A replay that fails is reported, not fatal: the service's own figures still stand. */
function replayFailed(what: string) {
  return (err: unknown) => {
    console.error(`raw replay of "${what}" failed: ${(err as Error).message?.split('\n')[0]}`);
    return null;
  };
}

interface Row {
  what: string;
  p50: number;
  p95: number;
  statements: number | null;
  rawP50: number | null;
}

async function benchScale(scale: number): Promise<string> {
  const db = `minqing_bench_${scale}`;
  const admin = await createConnection({ uri: BASE_URL });
  if (RESEED) await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const config = readConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_URL: `${BASE_URL}/${db}`, STATEMENT_TIMEOUT_MS: '600000', MAX_RANGE_DAYS: '3660' });
  const capture = new SqlCapture();
  const ds: DataSource = createDataSource(config, { onQuery: capture.tap });
  await ds.initialize();
  await ds.runMigrations();
  installStatementTimeout(ds, config.limits.statementTimeoutMs, config.tmpTableMb); // the app's session settings
  // The same session settings as the app's pool (data-source.ts), so the plans are the same.
  const raw = await createConnection({ uri: `${BASE_URL}/${db}`, charset: 'utf8mb4_unicode_ci', timezone: 'Z', supportBigNumbers: true, decimalNumbers: true });
  for (const sql of sessionSettings(config.limits.statementTimeoutMs, config.tmpTableMb)) await raw.query(sql).catch(() => undefined); // MariaDB knows no max_execution_time
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  say(`# Minqing bench ×${scale} — ${new Date().toISOString()}`);
  say('');
  say(`MariaDB ${String(((await ds.query('SELECT VERSION() AS v')) as Array<{ v: string }>)[0].v)}, database \`${db}\`, ${RUNS} timed runs (a fast query: up to 500 in 1 s) after a warm-up (up to 2 s or 2,000 runs while they are fast), service and raw SQL in turns, p50/p95 in ms.`);
  say('');

  const services = createServices(config, ds);
  await services.rollups.load();
  // Seeding = bulk import throughput (no rollup built yet, as at a first start), then the rollup
  // build, then the last LATE_DAYS of activity imported with every rollup kept as it goes: the
  // shape of daily imports into a full database (new visits, issues and responses, events on
  // issues old and new).
  const [{ n: existing }] = (await ds.query('SELECT COUNT(*) AS n FROM visits')) as Array<{ n: number }>;
  const seeding = ONLY.includes('seed') && Number(existing) === 0;
  const cutoff = DEMO_RANGE.end + 1000 - LATE_DAYS * 86_400_000;
  const late = (dataset: string, r: Record<string, unknown>): boolean | null => {
    const field = LATE_FIELDS[dataset];
    return field === undefined ? null : Date.parse(String(r[field])) >= cutoff;
  };
  const importTable = async (title: string, filter: (dataset: Dataset, r: Record<string, unknown>) => boolean) => {
    const t0 = Date.now();
    const inFlight = Number(env.BENCH_SEED_IN_FLIGHT ?? 2);
    const summary = (await seedDatabase(ds, config, { scale, inFlight, filter, say: (l) => console.error(`  seed: ${l}`) })).filter((x) => x.records > 0);
    const seconds = (Date.now() - t0) / 1000;
    const total = summary.reduce((a, x) => a + x.records, 0);
    say(`## ${title} (seedDatabase → ImportService, batches of 5000, ${inFlight} in flight)`);
    say('');
    say('| dataset | records | seconds | records/s |');
    say('|---|---:|---:|---:|');
    for (const x of summary) say(`| ${x.dataset} | ${x.records} | ${r2(x.seconds)} | ${Math.round(x.records / Math.max(x.seconds, 1e-9))} |`);
    say(`| **all** | ${total} | ${r2(seconds)} | ${Math.round(total / seconds)} |`);
    say('');
  };
  if (seeding) await importTable(`Import, bulk: all but the last ${LATE_DAYS} days, no rollup built`, (d, r) => late(d, r) !== true);
  else say(`Import: database already seeded (${existing} visits); set BENCH_RESEED=1 to measure seeding.`), say('');
  // A database seeded (or seeded before these rollups existed) builds them from its facts, as serve does.
  const buildStarted = Date.now();
  const built = services.rollups.stale().length;
  await services.rollups.buildStale((line) => {
    say(`Rollup build: ${line}`);
    say('');
  });
  if (built) say(`Rollup build: ${built} rollups in ${r2((Date.now() - buildStarted) / 1000)} s.`), say('');
  if (seeding) {
    // Generated first (the generator makes the whole dataset to find them), then timed alone.
    const lateRecords: Array<[Dataset, DemoRecord[]]> = [];
    for (const dataset of Object.keys(LATE_FIELDS) as Dataset[]) {
      const kept: DemoRecord[] = [];
      for await (const batch of demoBatches(dataset, { scale, batchSize: 5000 })) for (const r of batch) if (late(dataset, r)) kept.push(r);
      lateRecords.push([dataset, kept]);
    }
    const importer = new ImportService(ds, config);
    say(`## Import with every rollup kept: the last ${LATE_DAYS} days (ImportService, batches of 5000, one after the other)`);
    say('');
    say('| dataset | records | seconds | records/s |');
    say('|---|---:|---:|---:|');
    let [all, allSeconds] = [0, 0];
    for (const [dataset, records] of lateRecords) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < records.length; i += 5000) await importer.importRecords(dataset, records.slice(i, i + 5000));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      [all, allSeconds] = [all + records.length, allSeconds + seconds];
      say(`| ${dataset} | ${records.length} | ${r2(seconds)} | ${Math.round(records.length / seconds)} |`);
    }
    say(`| **all** | ${all} | ${r2(allSeconds)} | ${Math.round(all / allSeconds)} |`);
    say('');
  }
  const sizes = (await ds.query(
    "SELECT table_name AS t, table_rows AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('visits','issues','issue_events','survey_responses','households') ORDER BY table_name",
  )) as Array<{ t: string; n: number }>;
  say(`Rows (estimates): ${sizes.map((s) => `${s.t} ≈ ${s.n}`).join(', ')}`);
  say('');

  const table = (title: string, rows: Row[]) => {
    say(`## ${title}`);
    say('');
    say('| query | p50 ms | p95 ms | SQL statements | raw SQL p50 ms | ratio p50/raw |');
    say('|---|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      const ratio = r.rawP50 ? r2(r.p50 / r.rawP50) : null;
      say(`| ${r.what} | ${r.p50} | ${r.p95} | ${r.statements ?? '–'} | ${r.rawP50 ?? '–'} | ${ratio ?? '–'} |`);
    }
    say('');
  };

  if (ONLY.includes('dashboard')) {
    let perPanel: Captured[][] = [];
    const dashboard = () => benchDashboard(services, {
      from: DASHBOARD_FROM,
      to: DASHBOARD_TO,
      runs: Number(env.BENCH_DASHBOARD_RUNS ?? (scale >= 10 ? 3 : RUNS)),
      // count() has just put the panel's statements last in perPanel.
      replayOf: () => {
        const stmts = perPanel[perPanel.length - 1] ?? [];
        return stmts.length ? rawReplay(raw, stmts) : null;
      },
      statementCounter: {
        // A failed panel never calls count(): close its capture here so panels stay aligned.
        reset: () => {
          if (capture.open) perPanel.push(capture.stop());
          capture.start();
        },
        count: () => {
          const s = capture.stop();
          perPanel.push(s);
          return s.length;
        },
      },
    });
    // On a shared server a statement can fail for reasons outside the bench (another mariadbd
    // started with tmpdir=/tmp deletes this one's temp tables): one retry, then it is reported.
    let timings: Awaited<ReturnType<typeof dashboard>> = [];
    for (let attempt = 1; attempt <= 2 && !timings.length; attempt++) {
      perPanel = [];
      timings = await dashboard().catch((err: unknown) => {
        say(`Dashboard bench attempt ${attempt} failed: ${String((err as Error).message).split('\n')[0]}`);
        say('');
        return [];
      });
    }
    if (capture.open) perPanel.push(capture.stop());
    const rows: Row[] = [];
    for (const [i, t] of timings.entries()) {
      const stmts = perPanel[i] ?? [];
      const error = (t as { error?: string }).error;
      if (error) {
        rows.push({ what: `${t.panel} — FAILED: ${error.split('\n')[0].slice(0, 120)}`, p50: NaN, p95: NaN, statements: stmts.length, rawP50: null });
        continue;
      }
      if (t.rawError !== undefined) replayFailed(t.panel)(t.rawError);
      rows.push({ what: t.panel, p50: t.p50Ms, p95: t.p95Ms, statements: t.statements, rawP50: t.rawP50Ms ?? null });
    }
    table(`Dashboard panels (DashboardService / ScorecardService, county scope, ${DASHBOARD_FROM}…${DASHBOARD_TO})`, rows);
  }

  if (ONLY.includes('metrics')) {
    const metrics = services.metrics;
    const rawMetrics = new MetricsService(ds, config, { rollups: false });
    const rows: Row[] = [];
    // BENCH_METRICS=0,1 times only those queries of the list (e.g. the two with ×100 goals).
    const pick = env.BENCH_METRICS?.split(',').map(Number);
    for (const [what, q, withRaw] of metricsQueries().filter((_, i) => !pick || pick.includes(i))) {
      for (const [label, svc] of [['', metrics], [' — raw tables, no rollup', rawMetrics]] as const) {
        if (label && (!withRaw || !rows[rows.length - 1].what.includes('[rollup]'))) continue; // the raw path was the one measured
        capture.start();
        const failed = await svc.compute(q, UNSCOPED).then(() => null, (err: unknown) => String((err as Error).message).split('\n')[0]);
        const stmts = capture.stop();
        if (failed) {
          rows.push({ what: `${what}${label} — FAILED: ${failed}`, p50: NaN, p95: NaN, statements: stmts.length, rawP50: null });
          continue;
        }
        const rollup = stmts.some((st) => st.sql.includes('rollup_'));
        const timed = await timePaired(RUNS, () => svc.compute(q, UNSCOPED), rawReplay(raw, stmts)).catch(() => null);
        const t = timed?.fn ?? { p50: NaN, p95: NaN, runs: 0 };
        const rawT = timed?.rawError !== undefined ? replayFailed(what)(timed.rawError) : (timed?.raw ?? null);
        rows.push({ what: `${what}${label}${rollup ? ' [rollup]' : ''}${t.runs !== RUNS ? ` (${t.runs} runs)` : ''}`, p50: t.p50, p95: t.p95, statements: stmts.length, rawP50: rawT?.p50 ?? null });
      }
    }
    table('`metrics` queries (MetricsService.compute, county scope)', rows);
  }

  if (ONLY.includes('nested')) {
    const deps = { config, dataSource: ds, log: createLogger('silent'), services };
    const app = await createApp(deps);
    const admin = { kind: 'token' as const, id: 'bench', name: 'bench', role: 'ADMIN' as const, regionId: null };
    const rows: Row[] = [];
    for (const [what, levels, query] of nestedQueries()) {
      const execute = async () => {
        const res = await app.apollo.executeOperation({ query }, { contextValue: contextFor(app.services, deps.log, admin) });
        if (res.body.kind !== 'single' || res.body.singleResult.errors?.length) {
          throw new Error(JSON.stringify(res.body.kind === 'single' ? res.body.singleResult.errors : 'incremental'));
        }
      };
      capture.start();
      const failed = await execute().then(() => null, (err: unknown) => String((err as Error).message).slice(0, 160));
      const stmts = capture.stop().filter((st) => !/api_tokens|users|sessions/.test(st.sql)); // the principal is given, not looked up
      if (failed) {
        rows.push({ what: `${what} — FAILED: ${failed}`, p50: NaN, p95: NaN, statements: stmts.length, rawP50: null });
        continue;
      }
      const { fn: t, raw: rawReplayed, rawError } = await timePaired(RUNS, execute, rawReplay(raw, stmts));
      const rawT = rawError !== undefined ? replayFailed(what)(rawError) : rawReplayed;
      rows.push({ what: `${what} (${levels} levels)`, p50: t.p50, p95: t.p95, statements: stmts.length, rawP50: rawT?.p50 ?? null });
    }
    await app.stop();
    table('Nested entity queries (Apollo executeOperation, ADMIN; statements should equal the levels + the root list)', rows);
  }

  if (ONLY.includes('alerts')) {
    // Worklists (预警) of the township with the most households, every type, as of now (goal at ×10: p95 ≤ 300 ms).
    const township = await largestTownship(ds);
    capture.start();
    await services.alerts.page({ regionId: township }, UNSCOPED);
    const statements = capture.stop().length;
    const timings = await benchAlerts(services, { regionId: township, runs: RUNS });
    table(
      `Worklists: \`alerts\` for one township (AlertsService, then GraphQL with subjects; ${timings[0].counts ?? ''})`,
      timings.map((t, i) => ({ what: t.what, p50: r2(t.p50Ms), p95: r2(t.p95Ms), statements: i === 0 ? statements : null, rawP50: null })),
    );
  }

  if (ONLY.includes('extract')) {
    say('## Extracts (ExtractService → /dev/null, one process)');
    say('');
    say('| dataset | format | rows | MB | seconds | rows/s | peak RSS MB (start) |');
    say('|---|---|---:|---:|---:|---:|---:|');
    for (const [dataset, format] of [['visits', 'ndjson'], ['visits', 'csv'], ['issue_facts', 'ndjson'], ['daily_metrics', 'csv']] as const) {
      const e = await benchExtract(ds, config, dataset, format);
      say(`| ${dataset} | ${format} | ${e.rows} | ${r2(e.bytes / 1048576)} | ${r2(e.seconds)} | ${e.rowsPerSecond} | ${e.peakRssMb} (${e.startRssMb}) |`);
    }
    say('');
  }

  await raw.end();
  await ds.destroy();
  const out = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${new Date().toISOString().slice(0, 10)}-x${scale}.md`);
  writeFileSync(file, lines.join('\n') + '\n');
  console.log(`\nwritten: ${file}`);
  return file;
}

async function main() {
  for (const scale of SCALES) await benchScale(scale);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
