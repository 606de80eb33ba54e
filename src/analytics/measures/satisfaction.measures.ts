import { periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { countIf, groupBy, inList, inRange, keyColumns, regionJoins } from './query-plan';

/** Survey responses per cell: count, score sum, satisfied (≥ 4) and dissatisfied (≤ 2). */
export const SATISFACTION: MeasureFamily = {
  id: 'satisfaction',
  facts: ['survey_responses'],
  build(plan) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, { PERIOD: periodIndexSql('f.responded_at', plan.buckets), CADRE: 'f.cadre_id' });
    const where = [inRange(plan, 'f.responded_at')];
    // With CADRE, only responses that name a cadre belong to a cadre row (metrics.md).
    if (plan.dims.has('CADRE')) where.push('f.cadre_id IS NOT NULL');
    if (plan.cadreIds) where.push(`f.cadre_id IN (${inList('cadre', plan.cadreIds, params)})`);
    const sql = `SELECT ${[...keys.select, 'COUNT(*) AS responses', 'SUM(f.score) AS scoreSum', `${countIf('f.score >= 4')} AS satisfied`, `${countIf('f.score <= 2')} AS dissatisfied`].join(', ')}
  FROM survey_responses f
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE ${where.join(' AND ')}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};
