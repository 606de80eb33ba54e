import { Field, Int, ObjectType } from 'type-graphql';
import { MetricValue } from '../metrics.types';

@ObjectType({ description: 'A region’s place in a ranking of another period: its competition rank (ranked the same way) and value.' })
export class RankPlace {
  @Field(() => Int, { description: 'Competition rank; regions without a value share the last one.' }) rank: number;
  @Field(() => MetricValue) value: MetricValue;
}
