import { DashboardFilterData } from '../src/analytics/dashboard/dashboard.service';
import { ScorecardService } from '../src/analytics/dashboard/scorecard.service';
import type { RegionLevel } from '../src/domain/enums';
import { Scope, UNSCOPED } from '../src/domain/access';
import type { Services } from '../src/services';
import { timePaired } from './timing';

export interface PanelTiming {
  panel: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** SQL statements one run issued (when the data source reports them; else null). */
  statements: number | null;
  /** The error a panel failed with (its timings are then null): one failing panel does not hide the others. */
  error?: string;
  /** p50 of the replay of the panel's SQL, timed in turns with the panel (with `replayOf`). */
  rawP50Ms?: number | null;
  /** Why that replay failed, if it did. */
  rawError?: unknown;
}

export interface DashboardBenchOptions {
  /** Timed runs per panel after the warm-up (default 20; see timePaired). */
  runs?: number;
  /** Range of the dashboard (default: the last 90 days of the demo county, 2026-08-02 … 2026-10-31). */
  from?: string;
  to?: string;
  level?: RegionLevel;
  scope?: Scope;
  /** Scorecard year (default: the year of `to`). */
  year?: number;
  /** Counts statements if the caller's data source taps them (test stores do). */
  statementCounter?: { reset(): void; count(): number };
  /** After a panel's first run (and statement count): a replay of the SQL it issued, timed in turns with the panel. */
  replayOf?: () => (() => Promise<unknown>) | null;
}

/**
 * For the performance helper's bench/run.ts: times each dashboard panel and the scorecards
 * through the same services as GraphQL (p50/p95 over N runs after a warm-up, bench/timing.ts), one panel at a
 * time so the numbers are per panel, not per request.
 */
export async function benchDashboard(services: Services, options: DashboardBenchOptions = {}): Promise<PanelTiming[]> {
  const runs = options.runs ?? 20;
  const scope = options.scope ?? UNSCOPED;
  const level = options.level ?? 'TOWNSHIP';
  const to = options.to ?? '2026-10-31';
  const from = options.from ?? '2026-08-02';
  const year = options.year ?? Number(to.slice(0, 4));
  const service = services.dashboard;
  // asOf after the range so the stored state is exact, as on a live dashboard.
  const f: DashboardFilterData = await service.resolveFilter({ from, to }, scope);
  const scorecards = new ScorecardService(services.dataSource, services.config, services.metrics, () => new Date(`${year}-12-31T12:00:00Z`));
  const panels: Array<[string, () => Promise<unknown>]> = [
    ['overview', () => service.overview(f, scope)],
    ['trend(MONTH)', () => service.trend(f, scope, 'MONTH', null)],
    ['trend(DAY, SATISFIED_RATE)', () => service.trend(f, scope, 'DAY', ['SATISFIED_RATE'])],
    [`ranking(${level})`, () => service.ranking(f, scope, level, 'SATISFIED_RATE')],
    ['categories', () => service.categories(f, scope)],
    ['backlogAgeing', () => service.backlogAgeing(f, scope)],
    [`festivalVisiting(${level})`, () => service.festivalVisiting(f, scope, level)],
    [`falseClosures(${level})`, () => service.falseClosures(f, scope, level)],
    [`cadreScorecards(${year}, first 50)`, () => scorecards.page({ year, first: 50 }, scope)],
  ];
  const out: PanelTiming[] = [];
  for (const [panel, run] of panels) {
    options.statementCounter?.reset();
    try {
      await run();
    } catch (err) {
      out.push({ panel, runs: 0, p50Ms: NaN, p95Ms: NaN, maxMs: NaN, statements: null, error: String((err as Error).message ?? err).slice(0, 200) });
      continue;
    }
    const statements = options.statementCounter ? options.statementCounter.count() : null;
    const { fn: t, raw, rawError } = await timePaired(runs, run, options.replayOf?.() ?? null);
    out.push({ panel, runs: t.runs, p50Ms: t.p50, p95Ms: t.p95, maxMs: t.max, statements, rawP50Ms: raw?.p50 ?? null, ...(rawError !== undefined ? { rawError } : {}) });
  }
  return out;
}
