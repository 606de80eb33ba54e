import { Field, ID, InputType, Int } from 'type-graphql';
import type { HouseholdTag, IssueCategory, IssueChannel, IssueEventType, ResidentAnswer, SurveyChannel, VisitKind } from '../domain/enums';
import { HouseholdTagEnum, IssueCategoryEnum, IssueChannelEnum, IssueEventTypeEnum, ResidentAnswerEnum, SurveyChannelEnum, VisitKindEnum } from '../modules/shared/graphql-enums';

/*
 * Inputs carry exactly the fields of the import datasets (src/domain/datasets.ts) under the
 * same names, and are validated by the import itself, so a mutation and an NDJSON line accept
 * and refuse the same records. Instants are strings in the import's format (ISO-8601 with an
 * offset) for that reason. No class-validator rules here: the import's rules are the rules.
 */

const ID_DOC = 'The record id, chosen by the client (e.g. a UUID made when the form opens). It is the idempotency key: sending the same id again with the same content changes nothing; with different content the record is updated, as an import would.';
const INSTANT_DOC = 'ISO-8601 instant with an offset, e.g. 2025-03-15T09:30:00+08:00.';

@InputType({ description: 'A visit (走访) to record; the fields of the `visits` import dataset.' })
export class RecordVisitInput {
  @Field(() => ID, { description: ID_DOC }) id: string;
  @Field(() => ID) cadreId: string;
  @Field(() => ID) regionId: string;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field({ description: INSTANT_DOC }) visitedAt: string;
  @Field(() => VisitKindEnum) kind: VisitKind;
  @Field(() => Int, { nullable: true, description: 'Only for VILLAGE_STAY (default 1).' }) stayDays?: number | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType({ description: 'An issue (诉求) to open; the fields of the `issues` import dataset.' })
export class OpenIssueInput {
  @Field(() => ID, { description: ID_DOC }) id: string;
  @Field(() => ID) regionId: string;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => ID, { nullable: true }) visitId?: string | null;
  @Field(() => IssueChannelEnum) channel: IssueChannel;
  @Field(() => IssueCategoryEnum) category: IssueCategory;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field({ description: INSTANT_DOC }) receivedAt: string;
  @Field(() => String, { nullable: true, description: INSTANT_DOC }) dueAt?: string | null;
}

@InputType({ description: 'An event in an issue’s life; the fields of the `issue_events` import dataset.' })
export class AddIssueEventInput {
  @Field(() => ID, { description: ID_DOC }) id: string;
  @Field(() => ID) issueId: string;
  @Field({ description: INSTANT_DOC }) at: string;
  @Field(() => IssueEventTypeEnum) type: IssueEventType;
  @Field(() => ID, { nullable: true }) departmentId?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType({ description: 'A satisfaction survey response; the fields of the `survey_responses` import dataset.' })
export class RecordSurveyResponseInput {
  @Field(() => ID, { description: ID_DOC }) id: string;
  @Field(() => ID) regionId: string;
  @Field(() => ID, { nullable: true }) issueId?: string | null;
  @Field(() => ID, { nullable: true }) cadreId?: string | null;
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field({ description: INSTANT_DOC }) respondedAt: string;
  @Field(() => SurveyChannelEnum) channel: SurveyChannel;
  @Field(() => Int, { description: '1 (very dissatisfied) to 5 (very satisfied).' }) score: number;
  @Field(() => ResidentAnswerEnum, { nullable: true, description: 'Only with issueId: did the resident confirm the resolution?' }) resolved?: ResidentAnswer | null;
  @Field(() => Boolean, { nullable: true }) contacted?: boolean | null;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@InputType({ description: 'A household to create or update; the fields of the `households` import dataset.' })
export class UpsertHouseholdInput {
  @Field(() => ID, { description: ID_DOC }) id: string;
  @Field(() => ID) regionId: string;
  @Field() headName: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Int, { nullable: true }) members?: number | null;
  @Field(() => [HouseholdTagEnum], { nullable: true }) tags?: HouseholdTag[] | null;
}
