import type { Measure } from '../analytics/analytics.enums';
import { addDays, countDays } from '../analytics/calendar';
import type { MetricsService } from '../analytics/metrics.service';
import type { Config } from '../config';
import { UNSCOPED } from '../domain/access';
import { DAILY_PARTS, ExtractRecord } from './extract-datasets';

const HOUR_MS = 3_600_000;
/** Days computed per engine query: bounds the cells held at once to villages × this. */
const WINDOW_DAYS = 31;

/** One measure of each family daily_metrics holds; with `allParts` the engine computes every part of their families. */
const DAILY_METRIC_MEASURES: Measure[] = ['RESPONSES', 'VISITS', 'ISSUES_RECEIVED'];

export interface DailyMetricsRange {
  /** Inclusive local dates (YYYY-MM-DD) in the reporting time zone. */
  from: string;
  to: string;
  /** The extract's time: facts and issue state as of this instant. */
  asOf: number;
}

/**
 * daily_metrics: per village per local day, the additive parts of the satisfaction, visits and
 * issue cohort families — the engine's own parts (measures/parts.ts), computed by an engine
 * query by REGION at VILLAGE level and PERIOD by DAY, a month of days at a time (from the
 * rollups where they answer), rows yielded in (date, villageId) order. Facts recorded at a group
 * count for its village; facts recorded above village level have no village (the engine's
 * null-region row) and are left out. Issue state is as of `asOf`.
 */
export async function* computeDailyMetrics(
  engine: MetricsService,
  range: DailyMetricsRange,
  config: Pick<Config, 'reportingTimeZone'>,
  stop: () => boolean | Promise<boolean>,
): AsyncGenerator<ExtractRecord[]> {
  const days = countDays(range.from, range.to);
  for (let start = 0; start < days; start += WINDOW_DAYS) {
    if (await stop()) return;
    const from = addDays(range.from, start);
    const to = addDays(range.from, Math.min(days, start + WINDOW_DAYS) - 1);
    const { cells } = await engine.computeParts(
      {
        measures: DAILY_METRIC_MEASURES,
        dimensions: ['REGION', 'PERIOD'],
        regionLevel: 'VILLAGE',
        granularity: 'DAY',
        from,
        to,
        timeZone: config.reportingTimeZone,
        asOf: new Date(range.asOf),
      },
      UNSCOPED,
      { allParts: true },
    );
    const out: ExtractRecord[] = [];
    for (const { key, parts } of cells) {
      const [date, villageId] = key;
      if (villageId === null || !DAILY_PARTS.some((p) => (parts[p.part] ?? 0) !== 0)) continue;
      const row: ExtractRecord = { date, villageId };
      for (const p of DAILY_PARTS) row[p.column] = p.hours ? (parts[p.part] ?? 0) / HOUR_MS : (parts[p.part] ?? 0);
      out.push(row);
    }
    out.sort((a, b) => cmp(a.date as string, b.date as string) || cmp(a.villageId as string, b.villageId as string));
    if (out.length) yield out;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
