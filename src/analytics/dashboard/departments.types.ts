import { Field, Int, ObjectType } from 'type-graphql';
import { MeasureEnum } from '../analytics.enums';
import type { Measure } from '../analytics.enums';
import { MetricValue } from '../metrics.types';

@ObjectType({
  description:
    '承办单位: one handling department (the issues’ department as of asOf) over the range, ranked by one of its measures (best first by the measure’s `better`); the issues never assigned to a department come last, unranked.',
})
export class DepartmentRow {
  departmentId: string | null;
  @Field(() => Int, { nullable: true, description: 'Competition rank by `rankedBy`; null for issues never assigned.' }) rank: number | null;
  @Field(() => Int, { nullable: true, description: 'Tie band (consecutive rows whose 95 % intervals overlap); null for issues never assigned.' }) tieBand: number | null;
  @Field(() => MeasureEnum) rankedBy: Measure;
  @Field(() => Int, { description: 'ISSUES_RECEIVED.' }) issues: number;
  @Field(() => MetricValue, { description: 'TRANSFER_RATE (退单/转办率).' }) transferRate: MetricValue;
  @Field(() => MetricValue, { description: 'AVG_TRANSFERS (平均转办次数).' }) avgTransfers: MetricValue;
  @Field(() => MetricValue, { description: 'ON_TIME_RATE (按时办结率).' }) onTimeRate: MetricValue;
  @Field(() => MetricValue, { description: 'FALSE_CLOSURE_RATE (报喜不报忧率).' }) falseClosureRate: MetricValue;
  @Field(() => MetricValue, { description: 'CONTACTED_RATE (联系率).' }) contactedRate: MetricValue;
}
