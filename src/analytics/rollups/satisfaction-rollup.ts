import type { QueryPlan, Statement } from '../measures/query-plan';
import { DailyRollup, rollupStatement } from './daily-rollup';

/*
 * The satisfaction rollup (daily-rollup.ts): per local day and region, the parts the
 * satisfaction measures need — count, score sum, satisfied (≥ 4), dissatisfied (≤ 2) — so
 * RESPONSES, SATISFACTION_AVG, SATISFIED_RATE and DISSATISFIED_RATE (with their numerators,
 * denominators and Wilson intervals) come out exactly as from survey_responses.
 */
export const SATISFACTION_DAILY: DailyRollup = {
  // v2 added the subtree table (migration 1764000300000 drops the v1 state).
  name: 'satisfaction_daily.v2',
  label: 'satisfaction',
  table: 'rollup_satisfaction_daily',
  subtree: 'rollup_satisfaction_subtree_daily',
  fact: 'survey_responses',
  at: 'responded_at',
  region: 'region_id',
  atField: 'respondedAt',
  regionField: 'regionId',
  parts: [
    ['responses', 'COUNT(*)'],
    ['score_sum', 'SUM(f.score)'],
    ['satisfied', 'SUM(CASE WHEN f.score >= 4 THEN 1 ELSE 0 END)'],
    ['dissatisfied', 'SUM(CASE WHEN f.score <= 2 THEN 1 ELSE 0 END)'],
  ],
};

/**
 * The satisfaction family's statement answered from the rollup, or null when it cannot answer
 * this plan exactly (rollupStatement). Returns the same columns as SATISFACTION.build
 * (responses, scoreSum, satisfied, dissatisfied).
 */
export function satisfactionFromRollup(plan: QueryPlan, queryZone: string, builtZone: string | null): Statement | null {
  const sums = ['COALESCE(SUM(f.responses), 0) AS responses', 'SUM(f.score_sum) AS scoreSum', 'COALESCE(SUM(f.satisfied), 0) AS satisfied', 'COALESCE(SUM(f.dissatisfied), 0) AS dissatisfied'];
  return rollupStatement(plan, SATISFACTION_DAILY, queryZone, builtZone, sums, 'responses');
}
