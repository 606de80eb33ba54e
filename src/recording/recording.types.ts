import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Household } from '../modules/households/household.entity';
import { IssueEvent } from '../modules/issues/issue-event.entity';
import { Issue } from '../modules/issues/issue.entity';
import { SurveyResponse } from '../modules/surveys/survey-response.entity';
import { Visit } from '../modules/visits/visit.entity';

/** What a recording mutation did with the record it was sent. */
export enum RecordOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
}
registerEnumType(RecordOutcome, {
  name: 'RecordOutcome',
  description: 'CREATED: a new id. UPDATED: the id existed with other content, now replaced. UNCHANGED: the id existed with this content (a retry); nothing was written.',
});

@ObjectType()
export class RecordVisitPayload {
  @Field(() => RecordOutcome) outcome: RecordOutcome;
  @Field(() => Visit) visit: Visit;
}

@ObjectType()
export class OpenIssuePayload {
  @Field(() => RecordOutcome) outcome: RecordOutcome;
  @Field(() => Issue) issue: Issue;
}

@ObjectType()
export class AddIssueEventPayload {
  @Field(() => RecordOutcome) outcome: RecordOutcome;
  @Field(() => IssueEvent) event: IssueEvent;
  @Field(() => Issue, { description: 'The issue with its state derived again from all its events.' }) issue: Issue;
}

@ObjectType()
export class RecordSurveyResponsePayload {
  @Field(() => RecordOutcome) outcome: RecordOutcome;
  @Field(() => SurveyResponse) surveyResponse: SurveyResponse;
  @Field(() => Issue, { nullable: true, description: 'The issue the response is about, with its state derived again.' }) issue: Issue | null;
}

@ObjectType()
export class UpsertHouseholdPayload {
  @Field(() => RecordOutcome) outcome: RecordOutcome;
  @Field(() => Household) household: Household;
}
