import type { Scope } from '../../domain/access';
import { badInput } from '../../domain/errors';
import type { Measure } from '../analytics.enums';
import { CATALOGUE, MetricValueData } from '../catalogue';
import type { MetricsQueryArgs, MetricsService } from '../metrics.service';
import type { DashboardFilterData } from './dashboard.service';
import { rankWithBands } from './tie-bands';

/*
 * 承办单位: the handling departments' accountability — how many appeals each received, how many
 * it passed on (推来推去), how many it finished on time, how many residents deny it solved, how
 * often it called the resident back. One engine query by DEPARTMENT (the issues' department as
 * of asOf), ranked by one of its measures with the dashboard's tie bands. Shared by the
 * dashboard panel and the monthly report.
 */

/** The panel's measures, in column order. */
export const DEPARTMENT_MEASURES = ['ISSUES_RECEIVED', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'ON_TIME_RATE', 'FALSE_CLOSURE_RATE', 'CONTACTED_RATE'] as const satisfies readonly Measure[];
export type DepartmentMeasure = (typeof DEPARTMENT_MEASURES)[number];

/** One department over the range. */
export interface DepartmentRowData {
  /** Null: issues never assigned to a department. */
  departmentId: string | null;
  /** Competition rank by `rankedBy` (best first by its `better`); null for the never-assigned row. */
  rank: number | null;
  tieBand: number | null;
  rankedBy: Measure;
  issues: number;
  transferRate: MetricValueData;
  avgTransfers: MetricValueData;
  onTimeRate: MetricValueData;
  falseClosureRate: MetricValueData;
  contactedRate: MetricValueData;
}

/** The range, instant and filters a department ranking covers (a dashboard filter, or a report's month). */
export type DepartmentFilter = Pick<DashboardFilterData, 'from' | 'to' | 'timeZone' | 'asOf' | 'regionId' | 'categories' | 'channels'>;

/** `rankBy` must be one of the panel's measures; BAD_USER_INPUT naming the argument otherwise. */
export function checkDepartmentMeasure(rankBy: unknown, argument = 'rankBy'): DepartmentMeasure {
  if (!(DEPARTMENT_MEASURES as readonly unknown[]).includes(rankBy)) {
    throw badInput(`${argument} must be one of ${DEPARTMENT_MEASURES.join(', ')}, got ${JSON.stringify(rankBy)}`, { argument });
  }
  return rankBy as DepartmentMeasure;
}

/**
 * Every department with issues received in the range (rows exist only for departments found in
 * the data, as the engine gives them), ranked by `rankBy`, ties by department id; the issues
 * never assigned come last, unranked.
 */
export async function rankDepartments(engine: MetricsService, f: DepartmentFilter, scope: Scope, rankBy: DepartmentMeasure = 'TRANSFER_RATE'): Promise<DepartmentRowData[]> {
  checkDepartmentMeasure(rankBy);
  const query: MetricsQueryArgs = {
    measures: [...DEPARTMENT_MEASURES],
    dimensions: ['DEPARTMENT'],
    from: f.from,
    to: f.to,
    timeZone: f.timeZone,
    asOf: f.asOf,
    ...(f.regionId !== null ? { regionId: f.regionId } : {}),
    ...(f.categories ? { categories: f.categories } : {}),
    ...(f.channels ? { channels: f.channels } : {}),
  };
  const { rows } = await engine.compute(query, scope);
  const at = DEPARTMENT_MEASURES.indexOf(rankBy);
  const entries = rows.map((r) => {
    const [issues, transferRate, avgTransfers, onTimeRate, falseClosureRate, contactedRate] = r.values;
    return { departmentId: r.departmentId, issues: issues.value ?? 0, transferRate, avgTransfers, onTimeRate, falseClosureRate, contactedRate, key: r.values[at] };
  });
  const byId = (a: { departmentId: string | null }, b: { departmentId: string | null }) => {
    const x = a.departmentId as string;
    const y = b.departmentId as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const ranked = rankWithBands(
    entries.filter((e) => e.departmentId !== null),
    (e) => e.key,
    byId,
    CATALOGUE.get(rankBy)!.better,
  );
  const unassigned = entries.filter((e) => e.departmentId === null).map((e) => ({ ...e, rank: null, tieBand: null }));
  return [...ranked, ...unassigned].map(({ key: _key, ...e }) => ({ ...e, rankedBy: rankBy }));
}
