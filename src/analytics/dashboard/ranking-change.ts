import type { Scope } from '../../domain/access';
import type { RegionLevel } from '../../domain/enums';
import type { Measure } from '../analytics.enums';
import type { MetricValueData } from '../catalogue';
import { shiftRangeByMonths } from '../months';
import type { DashboardFilterData, DashboardService, RankingEntryData } from './dashboard.service';

/** A region's place in a ranking: its rank and the value it was ranked by. */
export interface RankPlaceData {
  rank: number;
  value: MetricValueData;
}

/** A ranking entry that can tell its place the month before (computed on first use, once for all entries). */
export type RankingEntryWithChange = RankingEntryData & { monthBefore(): Promise<RankPlaceData | null> };

/**
 * The month before a dashboard range: the same range moved back one calendar month (a whole
 * month moves to the whole month before it: March 1–31 → February 1–28), same asOf and filters.
 */
export function monthBefore(f: DashboardFilterData): DashboardFilterData {
  return { ...f, ...shiftRangeByMonths(f, -1) };
}

/**
 * Rank change needs the whole field of the month before: the entries of one ranking share one
 * lazy computation of it, run only when a client selects `previous` or `rankChange`.
 */
export function withMonthBefore(
  entries: readonly RankingEntryData[],
  rankingBefore: () => Promise<readonly RankingEntryData[]>,
): RankingEntryWithChange[] {
  let places: Promise<Map<string, RankPlaceData>> | null = null;
  const lookup = () =>
    (places ??= rankingBefore().then((before) => new Map(before.map((e) => [e.regionId, { rank: e.rank, value: e.value }]))));
  return entries.map((e) => ({ ...e, monthBefore: async () => (await lookup()).get(e.regionId) ?? null }));
}

/** Places gained since `before` (positive = rose); null unless both places have a value. */
export function rankChange(now: RankPlaceData, before: RankPlaceData | null): number | null {
  if (!before || now.value.value === null || before.value.value === null) return null;
  return before.rank - now.rank;
}

/** The ranking of the month before, by the same rule (the dashboard's ranking of the shifted range). */
export function rankingMonthBefore(dashboard: DashboardService, f: DashboardFilterData, scope: Scope, level: RegionLevel, measure: Measure): Promise<RankingEntryData[]> {
  return dashboard.ranking(monthBefore(f), scope, level, measure);
}
