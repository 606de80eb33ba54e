import type { QueryPlan, Statement } from './query-plan';

/** A measure family: the facts it reads and the one statement that yields all its parts per cell. */
export interface MeasureFamily {
  id: FamilyId;
  /** Tables the statement reads (served in metricDefinitions). */
  facts: string[];
  build(plan: QueryPlan): Statement;
}

export type FamilyId = 'satisfaction' | 'issues' | 'issueDurations' | 'backlog' | 'visits' | 'pairings';
