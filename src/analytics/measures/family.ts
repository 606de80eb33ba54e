import type { QueryPlan, Statement } from './query-plan';

export type FamilyId = 'satisfaction' | 'issues' | 'issueDurations' | 'backlog' | 'visits' | 'pairings' | 'households';

/**
 * Which facts a raw statement counts: by default those of the query's range up to asOf; a
 * correction of a rollup's answer counts other facts with a sign (rollups/plan in
 * metrics.service.ts): `window` instants, or for issues the ones whose stored state is later
 * than asOf (`late`).
 */
export interface RawOptions {
  /** Facts with an instant in (after, before) instead of the range up to asOf; counted negatively. */
  after?: number;
  before?: number;
  /** Issues received in the range whose stored state or receipt is after asOf: their state as of asOf minus their stored state. */
  late?: boolean;
}

/** A measure family: the facts it reads and the raw statement(s) that yield its parts per cell. */
export interface MeasureFamily {
  id: FamilyId;
  /** Tables the statement reads (served in metricDefinitions). */
  facts: string[];
  /** The statement over the raw tables; `parts` are the part names the requested measures read. */
  build(plan: QueryPlan, parts: ReadonlySet<string>, options?: RawOptions): Statement;
}
