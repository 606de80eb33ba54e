import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { IssueCategory, IssueChannel } from '../../domain/enums';
import { IssueCategoryEnum, IssueChannelEnum } from '../../modules/shared/graphql-enums';
import { LocalDateScalar } from '../../modules/shared/scalars';
import { MeasureEnum } from '../analytics.enums';
import type { Measure } from '../analytics.enums';
import { MetricValue } from '../metrics.types';
import type { DashboardFilterData } from './dashboard.service';

@InputType({ description: 'What every dashboard panel covers: a range of local dates, a region, issue filters, an instant.' })
export class DashboardFilter {
  @Field(() => LocalDateScalar, { description: 'Inclusive local date.' })
  from: string;

  @Field(() => LocalDateScalar, { description: 'Inclusive local date.' })
  to: string;

  @Field(() => ID, { nullable: true, description: 'Only this region’s subtree (must lie inside your scope).' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone; default REPORTING_TIME_ZONE.' })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string | null;

  @Field(() => [IssueCategoryEnum], { nullable: true, description: 'Issue panels and tiles only; satisfaction and visits are not filtered.' })
  @IsOptional()
  @ArrayMaxSize(20)
  categories?: IssueCategory[] | null;

  @Field(() => [IssueChannelEnum], { nullable: true, description: 'Issue panels and tiles only.' })
  @IsOptional()
  @ArrayMaxSize(20)
  channels?: IssueChannel[] | null;

  @Field(() => Date, { nullable: true, description: 'Issue state as of this instant; default the time of the request (shared by all panels).' })
  @IsOptional()
  asOf?: Date | null;
}

@ObjectType('DashboardFilterEcho', { description: 'The filter as the panels applied it, with the previous period.' })
export class DashboardFilterEcho {
  @Field(() => LocalDateScalar) from: string;
  @Field(() => LocalDateScalar) to: string;
  @Field(() => LocalDateScalar, { description: 'Start of the same number of days immediately before `from`.' }) previousFrom: string;
  @Field(() => LocalDateScalar, { description: 'The day before `from`.' }) previousTo: string;
  @Field() timeZone: string;
  @Field({ description: 'The instant every panel answers for.' }) asOf: Date;
  @Field(() => ID, { nullable: true }) regionId: string | null;
  @Field(() => [IssueCategoryEnum], { nullable: true }) categories: IssueCategory[] | null;
  @Field(() => [IssueChannelEnum], { nullable: true }) channels: IssueChannel[] | null;
}

/** The root of the dashboard; each panel is its own field resolver, so a request fetches any set of them. */
@ObjectType({ description: 'The satisfaction dashboard: each field is one panel, computed only when selected.' })
export class Dashboard {
  constructor(readonly data: DashboardFilterData) {}
}

@ObjectType({ description: 'A KPI tile: the value over the range and over the previous period (same asOf).' })
export class KpiTile {
  @Field(() => MeasureEnum) measure: Measure;
  @Field({ description: 'Chinese name of the measure.' }) label: string;
  @Field(() => MetricValue) value: MetricValue;
  @Field(() => MetricValue) previous: MetricValue;
  @Field(() => Float, { nullable: true, description: 'value − previous; null when either is null.' }) change: number | null;
}

@ObjectType({ description: 'One bucket of a trend.' })
export class TrendPoint {
  @Field(() => LocalDateScalar, { description: 'Local start date of the bucket.' }) period: string;
  @Field(() => [MetricValue], { description: 'One per requested measure, in request order.' }) values: MetricValue[];
}

@ObjectType({ description: 'A region’s place in a ranking. Entries whose 95 % intervals overlap the one above share a tie band.' })
export class RankingEntry {
  @Field(() => Int, { description: 'Competition rank by value (equal values share it); entries without a value all rank last.' }) rank: number;
  regionId: string;
  @Field(() => MetricValue) value: MetricValue;
  @Field(() => Int, { description: 'Facts behind the value: responses for satisfaction measures, else the denominator (or the count itself).' }) count: number;
  @Field(() => Int, { description: 'Tie band, from 1; consecutive entries whose intervals overlap share one.' }) tieBand: number;
  @Field(() => [ID], { description: 'The other regions in the same tie band.' }) tiedWith: string[];
}

@ObjectType({ description: 'One issue category over the range.' })
export class CategoryRow {
  @Field(() => IssueCategoryEnum) category: IssueCategory;
  @Field({ description: 'Chinese label.' }) label: string;
  @Field(() => Int) received: number;
  @Field(() => MetricValue, { description: 'CLOSURE_RATE (办结率).' }) closure: MetricValue;
  @Field(() => MetricValue, { description: 'RESOLUTION_RATE (解决率, resident-confirmed).' }) resolution: MetricValue;
  @Field(() => MetricValue, { description: 'ISSUE_SATISFIED_RATE.' }) satisfied: MetricValue;
  @Field(() => MetricValue, { description: 'FALSE_CLOSURE_RATE (报喜不报忧).' }) falseClosure: MetricValue;
}

@ObjectType({ description: 'Open issues of one department within an ageing band.' })
export class DepartmentCount {
  @Field(() => ID, { nullable: true, description: 'Null for issues never assigned.' }) departmentId: string | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Open issues at the end instant whose age falls in [minDays, maxDays).' })
export class AgeingBucket {
  @Field() key: string;
  @Field() label: string;
  @Field(() => Int) minDays: number;
  @Field(() => Int, { nullable: true, description: 'Exclusive; null for the open-ended last band.' }) maxDays: number | null;
  @Field(() => Int) count: number;
  @Field(() => [DepartmentCount], { description: 'Departments with the most open issues in this band (top 5).' }) departments: DepartmentCount[];
}

@ObjectType({ description: 'Festival-only visiting (逢年过节才走访) per region.' })
export class FestivalRow {
  regionId: string | null;
  @Field(() => Int) visits: number;
  @Field(() => Int) holidayVisits: number;
  @Field(() => MetricValue, { description: 'HOLIDAY_VISIT_SHARE with its interval.' }) share: MetricValue;
  @Field({ description: 'True when the share is at least 0.8.' }) flagged: boolean;
}

@ObjectType({ description: 'Closures the residents deny (报喜不报忧) per region.' })
export class FalseClosureRow {
  regionId: string | null;
  @Field(() => Int, { description: 'Unit-resolved issues with a resident answer.' }) unitResolvedAnswered: number;
  @Field(() => Int, { description: 'Of those, answered NO.' }) denied: number;
  @Field(() => MetricValue, { description: 'FALSE_CLOSURE_RATE.' }) rate: MetricValue;
  @Field(() => MetricValue, { description: 'CLOSURE_RATE as the units report it.' }) closure: MetricValue;
  @Field(() => MetricValue, { description: 'RESOLUTION_RATE as the residents confirm it.' }) resolution: MetricValue;
  @Field(() => Float, { nullable: true, description: 'closure − resolution; null when either is null.' }) gap: number | null;
}
