import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { HouseholdTag, IssueCategory, IssueChannel, RegionLevel } from '../domain/enums';
import { HouseholdTagEnum, IssueCategoryEnum, IssueChannelEnum, RegionLevelEnum } from '../modules/shared/graphql-enums';
import { LocalDateScalar } from '../modules/shared/scalars';
import { BetterEnum, DimensionEnum, GranularityEnum, MeasureEnum, MetricUnitEnum } from './analytics.enums';
import type { Better, Dimension, Granularity, Measure, MetricUnit } from './analytics.enums';

@InputType({ description: 'A metrics query (metrics.md): measures, grouping, range, filters.' })
export class MetricsQuery {
  @Field(() => [MeasureEnum], { description: 'Values come back in this order.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  measures: Measure[];

  @Field(() => [DimensionEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(6)
  dimensions?: Dimension[] | null;

  @Field(() => RegionLevelEnum, { nullable: true, description: 'Required with REGION.' })
  regionLevel?: RegionLevel | null;

  @Field(() => GranularityEnum, { nullable: true, description: 'Required with PERIOD.' })
  granularity?: Granularity | null;

  @Field(() => LocalDateScalar, { description: 'Inclusive local date.' })
  from: string;

  @Field(() => LocalDateScalar, { description: 'Inclusive local date.' })
  to: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone; default REPORTING_TIME_ZONE.' })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string | null;

  @Field(() => Date, { nullable: true, description: 'Issue state and facts as of this instant; default now.' })
  asOf?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only this region’s subtree.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => [IssueCategoryEnum], { nullable: true })
  categories?: IssueCategory[] | null;

  @Field(() => [IssueChannelEnum], { nullable: true })
  channels?: IssueChannel[] | null;

  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Households carrying every listed tag (VISIT_COVERAGE, PAIRED_HOUSEHOLD_RATE, HOUSEHOLDS_VISITED, PAIRED_COVERAGE only).' })
  @IsOptional()
  @ArrayMaxSize(6)
  householdTags?: HouseholdTag[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(1000)
  cadreIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(1000)
  departmentIds?: string[] | null;
}

@ObjectType({ description: 'One measure in one row. Rates carry numerator, denominator and a 95 % Wilson interval.' })
export class MetricValue {
  @Field(() => MeasureEnum) measure: Measure;
  @Field(() => Float, { nullable: true }) value: number | null;
  @Field(() => Float, { nullable: true }) numerator: number | null;
  @Field(() => Float, { nullable: true }) denominator: number | null;
  @Field(() => Float, { nullable: true }) low: number | null;
  @Field(() => Float, { nullable: true }) high: number | null;
  @Field({ description: 'True when hidden by the privacy threshold (MIN_RESPONSES).' }) suppressed: boolean;
}

@ObjectType({ description: 'One cell group: its dimension values (null where not grouped) and one value per measure.' })
export class MetricsRow {
  @Field(() => LocalDateScalar, { nullable: true, description: 'Local start date of the bucket.' }) period: string | null;
  regionId: string | null;
  cadreId: string | null;
  departmentId: string | null;
  @Field(() => IssueCategoryEnum, { nullable: true }) category: IssueCategory | null;
  @Field(() => IssueChannelEnum, { nullable: true }) channel: IssueChannel | null;
  @Field(() => [MetricValue], { description: 'One per requested measure, in request order.' }) values: MetricValue[];
}

@ObjectType()
export class MetricsResult {
  @Field(() => [MetricsRow]) rows: MetricsRow[];
  @Field({ description: 'The instant the answer is valid for.' }) dataAsOf: Date;
  @Field({ description: 'Whether a daily rollup (instead of the raw records) answered part of it; the numbers are the same.' })
  servedByRollup: boolean;
}

@ObjectType({ description: 'A measure of the catalogue (metrics.md), with its definition.' })
export class MetricDefinition {
  @Field(() => MeasureEnum) measure: Measure;
  @Field(() => Int, { description: 'A change of definition is a new version.' }) version: number;
  @Field({ description: 'Chinese name' }) name: string;
  @Field({ description: 'English name' }) nameEn: string;
  @Field(() => MetricUnitEnum) unit: MetricUnit;
  @Field() formula: string;
  @Field(() => [String], { description: 'Tables it reads.' }) facts: string[];
  @Field(() => [DimensionEnum], { description: 'Dimensions it can be grouped by.' }) dimensions: Dimension[];
  @Field(() => BetterEnum, { description: 'Which way is better: rankings order by it (NONE: by size, largest first).' }) better: Better;
}
