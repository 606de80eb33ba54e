import { IsOptional, Length } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import type { CadreRank, HouseholdTag, IssueCategory, IssueChannel, IssueStatus, ResidentAnswer, SurveyChannel, VisitKind } from '../../domain/enums';
import { ConnectionArgs, InstantRange } from '../../modules/shared/connection';
import {
  CadreRankEnum,
  HouseholdTagEnum,
  IssueCategoryEnum,
  IssueChannelEnum,
  IssueStatusEnum,
  ResidentAnswerEnum,
  SurveyChannelEnum,
  VisitKindEnum,
} from '../../modules/shared/graphql-enums';
import { LocalDateScalar } from '../../modules/shared/scalars';
import type { Measure } from '../analytics.enums';
import { MeasureEnum } from '../analytics.enums';
import type { DrillPart } from './drills';
import type { ScoreBand } from './record-filters';

/*
 * The GraphQL inputs of the record lists (action.md "The records behind a number"). Their
 * values are checked once, by record-filters.ts (BAD_USER_INPUT naming the field), for GraphQL
 * and the CSV route alike.
 */

export const ScoreBandEnum = { SATISFIED: 'SATISFIED', NEUTRAL: 'NEUTRAL', DISSATISFIED: 'DISSATISFIED' } as const;
registerEnumType(ScoreBandEnum, {
  name: 'ScoreBand',
  description: 'Score bands of a survey response, as the satisfaction measures count them.',
  valuesConfig: { SATISFIED: { description: '满意: score ≥ 4' }, NEUTRAL: { description: '一般: score 3' }, DISSATISFIED: { description: '不满意: score ≤ 2' } },
});

export const DrillPartEnum = { NUMERATOR: 'NUMERATOR', DENOMINATOR: 'DENOMINATOR' } as const;
registerEnumType(DrillPartEnum, { name: 'DrillPart', description: 'Which count of a rate to list (a count lists its records either way).' });

const DATES = 'Inclusive local date in `timeZone`.';
const AS_OF = 'Records dated after it do not exist; issues have their state as of it. Default: now.';
const ZONE = 'IANA zone of the local dates; default REPORTING_TIME_ZONE.';

@InputType({ description: 'Which issues to list: the state as of `asOf`; each flag selects what the matching measure counts (README "Drill-through").' })
export class IssueFilter extends InstantRange {
  @Field(() => LocalDateScalar, { nullable: true, description: `Received on or after this date. ${DATES}` }) receivedFrom?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: `Received on or before this date. ${DATES}` }) receivedTo?: string | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: AS_OF }) asOf?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Issues raised in this region or any region below it.' }) regionId?: string | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => ID, { nullable: true }) visitId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Issues raised on a visit by this cadre.' }) cadreId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The department as of asOf (last ASSIGNED/TRANSFERRED).' }) departmentId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Any of these departments (as of asOf).' }) departmentIds?: string[] | null;
  @Field(() => [IssueChannelEnum], { nullable: true, description: 'Any of these channels.' }) channels?: IssueChannel[] | null;
  @Field(() => [IssueCategoryEnum], { nullable: true, description: 'Any of these categories.' }) categories?: IssueCategory[] | null;
  @Field(() => [IssueStatusEnum], { nullable: true, description: 'Any of these statuses (as of asOf).' }) statuses?: IssueStatus[] | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Issues of households carrying every one of these tags.' }) householdTags?: HouseholdTag[] | null;
  @Field(() => [ResidentAnswerEnum], { nullable: true, description: 'The resident answer (as of asOf) is one of these.' }) residentAnswers?: ResidentAnswer[] | null;
  @Field(() => Int, { nullable: true, description: 'transferCount (as of asOf) at least this; 1 = what TRANSFER_RATE counts.' }) minTransfers?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Open past dueAt at asOf (超期): not closed and dueAt < asOf.' }) overdue?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Closed at asOf (CLOSURE_RATE).' }) closed?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Unit-resolved at asOf.' }) unitResolved?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'The latest response that answers it says contacted (CONTACTED_RATE).' }) contacted?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'A response says whether the unit contacted the resident (CONTACTED_RATE denominator).' }) contactAnswered?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Reopened at least once (REOPEN_RATE).' }) reopened?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'A repeat appeal (REPEAT_RATE, REPEAT_WINDOW_DAYS).' }) repeat?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'First response within RESPONSE_SLA_HOURS (RESPONSE_RATE).' }) inSla?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Has a first response.' }) responded?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Has a dueAt (ON_TIME_RATE denominator).' }) hasDue?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Unit-resolved by dueAt (ON_TIME_RATE).' }) onTime?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Has a linked survey response (ISSUE_SATISFIED_RATE denominator).' }) calledBack?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Latest linked response scores ≥ 4 (ISSUE_SATISFIED_RATE).' }) satisfied?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Names a household (REPEAT_RATE denominator).' }) hasHousehold?: boolean | null;
}

@InputType({ description: 'Which visits to list (none dated after asOf).' })
export class VisitFilter extends InstantRange {
  @Field(() => LocalDateScalar, { nullable: true, description: `Visited on or after this date. ${DATES}` }) visitedFrom?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: `Visited on or before this date. ${DATES}` }) visitedTo?: string | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: AS_OF }) asOf?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Visits in this region or any region below it.' }) regionId?: string | null;
  @Field(() => ID, { nullable: true }) cadreId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Visits by any of these cadres.' }) cadreIds?: string[] | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => [VisitKindEnum], { nullable: true, description: 'Any of these kinds.' }) kinds?: VisitKind[] | null;
  @Field(() => Boolean, { nullable: true, description: 'On a festival day of the zone (HOLIDAY_VISIT_SHARE).' }) festival?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Raised at least one issue received by asOf (VISIT_ISSUE_RATE).' }) withIssue?: boolean | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Visits naming a household carrying every one of these tags.' }) householdTags?: HouseholdTag[] | null;
}

@InputType({ description: 'Which survey responses to list (none dated after asOf).' })
export class SurveyResponseFilter extends InstantRange {
  @Field(() => LocalDateScalar, { nullable: true, description: `Responded on or after this date. ${DATES}` }) respondedFrom?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: `Responded on or before this date. ${DATES}` }) respondedTo?: string | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: AS_OF }) asOf?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Responses from this region or any region below it.' }) regionId?: string | null;
  @Field(() => ID, { nullable: true }) issueId?: string | null;
  @Field(() => ID, { nullable: true }) cadreId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Responses naming any of these cadres.' }) cadreIds?: string[] | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => [SurveyChannelEnum], { nullable: true, description: 'Any of these channels.' }) channels?: SurveyChannel[] | null;
  @Field(() => [ScoreBandEnum], { nullable: true, description: 'Scores in any of these bands (SATISFIED_RATE, DISSATISFIED_RATE).' }) scoreBands?: ScoreBand[] | null;
}

@InputType({ description: 'A window of inclusive local dates (in the filter’s timeZone), optionally of visits by some cadres.' })
export class VisitWindowInput {
  @Field(() => LocalDateScalar) from: string;
  @Field(() => LocalDateScalar) to: string;
  @Field(() => [ID], { nullable: true, description: 'Only visits by these cadres.' }) cadreIds?: string[] | null;
}

@InputType({ description: 'Which households to list, placed by their own region.' })
export class HouseholdFilter {
  @Field(() => ID, { nullable: true, description: 'Households of this region or any region below it.' }) regionId?: string | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Households carrying every one of these tags.' }) tags?: HouseholdTag[] | null;
  @Field(() => VisitWindowInput, { nullable: true, description: 'With a visit naming them in the window, not after asOf (VISIT_COVERAGE, HOUSEHOLDS_VISITED).' }) visitedBetween?: VisitWindowInput | null;
  @Field(() => VisitWindowInput, { nullable: true, description: 'With no visit naming them in the window.' }) notVisitedBetween?: VisitWindowInput | null;
  @Field(() => Boolean, { nullable: true, description: 'With (without) a pairing active on pairedOn (PAIRED_HOUSEHOLD_RATE).' }) paired?: boolean | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The date `paired` looks at; default asOf’s local date.' }) pairedOn?: string | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: AS_OF }) asOf?: Date | null;
}

@InputType({ description: 'Which pairings to list, placed by their household’s region.' })
export class PairingFilter {
  @Field(() => ID, { nullable: true, description: 'Pairings of households in this region or below.' }) regionId?: string | null;
  @Field(() => ID, { nullable: true }) cadreId?: string | null;
  @Field(() => [ID], { nullable: true }) cadreIds?: string[] | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Of households carrying every one of these tags.' }) householdTags?: HouseholdTag[] | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Active on this date (startedOn ≤ date ≤ endedOn, or no end).' }) activeOn?: string | null;
  @Field(() => VisitWindowInput, { nullable: true, description: 'With a visit by the pairing’s cadre to its household in the window (PAIRED_COVERAGE).' }) visitedBetween?: VisitWindowInput | null;
  @Field(() => VisitWindowInput, { nullable: true, description: 'With no such visit in the window.' }) notVisitedBetween?: VisitWindowInput | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'No visit by the pairing’s cadre to its household from this date up to asOf (结对不联系).' }) notVisitedSince?: string | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: AS_OF }) asOf?: Date | null;
}

@ArgsType()
export class HouseholdsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Households of this region or any region below it.' }) regionId?: string | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Only households that carry every one of these tags.' }) tags?: HouseholdTag[] | null;
  @Field(() => HouseholdFilter, { nullable: true, description: 'The other filters (combined with regionId and tags).' }) filter?: HouseholdFilter | null;
}

@ArgsType()
export class PairingsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true }) cadreId?: string | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Only pairings active on this date (startedOn ≤ date ≤ endedOn, or no end).' }) activeOn?: string | null;
  @Field(() => PairingFilter, { nullable: true, description: 'The other filters (combined with the arguments above).' }) filter?: PairingFilter | null;
}

@ArgsType()
export class CadresRelationArgs extends ConnectionArgs {
  @Field(() => CadreRankEnum, { nullable: true }) rank?: CadreRank | null;
}

@InputType({ description: 'A number to open: a metrics cell (measure, range, zone, asOf, region, filters) and which of its counts.' })
export class DrillInput {
  @Field(() => MeasureEnum) measure: Measure;
  @Field(() => DrillPartEnum, { nullable: true, description: 'NUMERATOR (default) or DENOMINATOR of a rate.' }) part?: DrillPart | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Inclusive local date (not for BACKLOG, a stock).' }) from?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Inclusive local date.' }) to?: string | null;
  @Field(() => Int, { nullable: true, description: 'Instead of from/to: the window of a cadre scorecard year.' }) year?: number | null;
  @Field(() => String, { nullable: true, description: ZONE }) timeZone?: string | null;
  @Field(() => Date, { nullable: true, description: 'As the metrics query’s asOf; default now.' }) asOf?: Date | null;
  @Field(() => ID, { nullable: true }) regionId?: string | null;
  @Field(() => [IssueCategoryEnum], { nullable: true, description: 'Issue measures only (as the dashboard applies them).' }) categories?: IssueCategory[] | null;
  @Field(() => [IssueChannelEnum], { nullable: true, description: 'Issue measures only.' }) channels?: IssueChannel[] | null;
  @Field(() => [ID], { nullable: true, description: 'Issue measures only.' }) departmentIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Measures with the CADRE dimension.' }) cadreIds?: string[] | null;
  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'The four household measures.' }) householdTags?: HouseholdTag[] | null;
  @Field(() => String, { nullable: true, description: 'BACKLOG only: an ageing band key (D0_3, D3_7, D7_15, D15_30, D30_).' })
  @IsOptional()
  @Length(1, 16)
  ageBand?: string | null;
}
