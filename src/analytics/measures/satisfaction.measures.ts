import { periodIndexSql } from '../buckets';
import type { MeasureFamily } from './family';
import { SATISFACTION_PARTS, sumParts } from './parts';
import { factWindow, groupBy, inList, keyColumns, regionJoins } from './query-plan';

/** Survey responses per cell: count, score sum, satisfied (≥ 4) and dissatisfied (≤ 2) (parts.ts). */
export const SATISFACTION: MeasureFamily = {
  id: 'satisfaction',
  facts: ['survey_responses'],
  build(plan, wanted, options = {}) {
    const params: Record<string, unknown> = {};
    const keys = keyColumns(plan, { PERIOD: periodIndexSql('f.responded_at', plan.buckets), CADRE: 'f.cadre_id' });
    const where = [factWindow(plan, 'f.responded_at', options)];
    // With CADRE, only responses that name a cadre belong to a cadre row (metrics.md).
    if (plan.dims.has('CADRE')) where.push('f.cadre_id IS NOT NULL');
    if (plan.cadreIds) where.push(`f.cadre_id IN (${inList('cadre', plan.cadreIds, params)})`);
    const parts = SATISFACTION_PARTS.filter((p) => wanted.has(p.name) || p.name === 'responses');
    const sql = `SELECT ${[...keys.select, ...sumParts(parts, options.after === undefined ? undefined : '-1')].join(', ')}
  FROM survey_responses f
  ${regionJoins(plan, 'f.region_id', params)}
 WHERE ${where.join(' AND ')}
 ${groupBy(keys.group)}`;
    return { sql, params };
  },
};
