import { MaxLength } from 'class-validator';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { RoleEnum } from '../../auth/roles';
import type { Role } from '../../domain/access';
import type { RegionLevel } from '../../domain/enums';
import { RegionLevelEnum } from '../../modules/shared/graphql-enums';
import { LocalDateScalar } from '../../modules/shared/scalars';
import { BetterEnum, MeasureEnum } from '../analytics.enums';
import type { Better, Measure } from '../analytics.enums';
import type { FestivalRowData } from '../dashboard/dashboard.service';
import { FestivalRow } from '../dashboard/dashboard.types';
import { DepartmentRow } from '../dashboard/departments.types';
import { RankPlace } from '../dashboard/ranking-change.types';
import { CadreScorecard } from '../dashboard/scorecard.types';
import type { ScorecardData } from '../dashboard/scorecard.service';
import { MetricValue } from '../metrics.types';
import type { DepartmentRowData } from '../dashboard/departments';
import type { MonthlyReportData, ReportRowData } from './monthly-report.service';
import type { PublicationData } from './published-reports';

@ArgsType()
export class MonthlyReportKeyArgs {
  @Field(() => String, { description: 'The local month in the reporting zone, YYYY-MM.' })
  @MaxLength(40)
  month: string;

  @Field(() => RegionLevelEnum, { description: 'The regions ranked: every region of this level (in your scope, under regionId).' })
  level: RegionLevel;

  @Field(() => MeasureEnum, { defaultValue: 'THREE_RATE_SCORE', description: 'What the regions are ranked by (any measure with the REGION dimension); default 三率综合.' })
  measure: Measure;

  @Field(() => ID, { nullable: true, description: 'Only this region’s subtree (inside your scope); default your whole scope.' })
  @MaxLength(64)
  regionId?: string | null;
}

@ArgsType()
export class MonthlyReportArgs extends MonthlyReportKeyArgs {
  @Field(() => Date, { nullable: true, description: 'Numbers as of this instant (default now). Not with `version`.' })
  asOf?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'A published version of this report (monthlyReports lists them): the report exactly as it was published, whatever arrived since.',
  })
  version?: number | null;
}

@ArgsType()
export class MonthlyReportsArgs {
  @Field(() => String, { nullable: true, description: 'Only reports of this month (YYYY-MM).' })
  @MaxLength(40)
  month?: string | null;

  @Field(() => RegionLevelEnum, { nullable: true })
  level?: RegionLevel | null;

  @Field(() => MeasureEnum, { nullable: true })
  measure?: Measure | null;

  @Field(() => ID, { nullable: true, description: 'Only reports of this region.' })
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => Int, { defaultValue: 100, description: 'At most this many, newest first (1–500).' })
  first: number;
}

@ObjectType({ description: 'A region’s row of the monthly report: its place this month, the month before (环比) and the same month a year before (同比).' })
export class MonthlyReportRow implements Omit<ReportRowData, 'value' | 'previous' | 'yearAgo'> {
  regionId: string;
  @Field(() => Int, { description: 'Competition rank, best first by the measure’s `better`; regions without a value (null or suppressed) share the rank after the last valued one.' })
  rank: number;
  @Field(() => Int, { description: 'Tie band: consecutive rows whose 95 % intervals overlap (equal values for measures without one).' }) tieBand: number;
  @Field(() => MetricValue) value: MetricValue;
  @Field(() => RankPlace, { description: '环比: the month before, ranked the same way (same asOf).' }) previous: RankPlace;
  @Field(() => RankPlace, { description: '同比: the same month a year before, ranked the same way (same asOf).' }) yearAgo: RankPlace;
  @Field(() => Int, { nullable: true, description: 'previous.rank − rank (positive: rose); null unless both have a value.' }) rankChange: number | null;
  @Field(() => Int, { nullable: true, description: 'yearAgo.rank − rank; null unless both have a value.' }) yearAgoRankChange: number | null;
}

@ObjectType({ description: 'Who published a report.' })
export class ReportPublisher {
  @Field(() => String, { description: '`user` or `token`.' }) kind: 'user' | 'token';
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => RoleEnum) role: Role;
}

@ObjectType({ description: 'A publication of a monthly report: a version, who published it and when, the asOf its numbers are fixed at.' })
export class MonthlyReportPublication implements Omit<PublicationData, 'regionId'> {
  @Field(() => ID) id: string;
  @Field({ description: 'YYYY-MM.' }) month: string;
  @Field(() => RegionLevelEnum) level: RegionLevel;
  @Field(() => MeasureEnum) measure: Measure;
  regionId: string | null;
  @Field(() => Int, { description: '1 for the first publication of this report (month, level, measure, region), then 2, …' }) version: number;
  @Field({ description: 'The instant the numbers are as of (the publish instant).' }) asOf: Date;
  @Field() publishedAt: Date;
  @Field(() => ReportPublisher) publishedBy: ReportPublisher;
}

@ObjectType({
  description:
    '月度通报: every region of a level ranked by a measure for one local month (reporting zone), with 环比 and 同比, the bottom three, the handling departments, the vetoed and behind-pace cadres and the festival-only regions.',
})
export class MonthlyReport
  implements Omit<MonthlyReportData, 'regionId' | 'rows' | 'bottom' | 'departments' | 'vetoedCadres' | 'behindPaceCadres' | 'festivalRegions'>
{
  @Field({ description: 'YYYY-MM.' }) month: string;
  @Field(() => RegionLevelEnum) level: RegionLevel;
  @Field(() => MeasureEnum) measure: Measure;
  @Field(() => BetterEnum, { description: 'The measure’s direction: the order of the ranking.' }) better: Better;
  regionId: string | null;
  @Field() timeZone: string;
  @Field({ description: 'Every number is as of this instant.' }) asOf: Date;
  @Field(() => LocalDateScalar) from: string;
  @Field(() => LocalDateScalar) to: string;
  @Field({ description: 'The month of `previous` (环比), YYYY-MM.' }) previousMonth: string;
  @Field({ description: 'The month of `yearAgo` (同比), YYYY-MM.' }) yearAgoMonth: string;
  @Field(() => [MonthlyReportRow], { description: 'Every region of the level, in rank order (ties by region id).' }) rows: MonthlyReportRow[];
  @Field(() => [MonthlyReportRow], { description: 'The rows of the last three regions with a value, ties included, in rank order.' }) bottom: MonthlyReportRow[];
  @Field(() => [DepartmentRow], { description: '承办单位: issues received in the month by their department as of asOf, ranked by TRANSFER_RATE (lower is better).' })
  departments: DepartmentRowData[];
  @Field(() => Int, { description: 'The cadres’ scorecard year (the month’s).' }) scorecardYear: number;
  @Field({ description: 'The cadres are judged as of this instant: the month’s last instant, or asOf if earlier.' }) cadresAsOf: Date;
  @Field(() => [CadreScorecard], { description: '一票否决: cadres whose satisfied rate this year (to cadresAsOf) is below VETO_LINE; lowest first.' })
  vetoedCadres: ScorecardData[];
  @Field(() => [CadreScorecard], { description: '驻村进度落后: cadres whose stay days this year are below floor(stayPace × 0.9) at cadresAsOf; furthest behind first.' })
  behindPaceCadres: ScorecardData[];
  @Field(() => LocalDateScalar, { description: 'Festival-only visiting is judged from this date …' }) festivalFrom: string;
  @Field(() => LocalDateScalar, { description: '… to this one: the twelve months ending with the month.' }) festivalTo: string;
  @Field(() => [FestivalRow], { description: '逢年过节才走访: regions of the level whose share of visits at festivals is at least 0.8 (the dashboard’s rule).' })
  festivalRegions: FestivalRowData[];
  /** Set when the report is a published version. */
  publication: PublicationData | null;
}
