import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { canWrite } from '../domain/access';
import type { RequestContext } from '../modules/modules.context';

import { badInput, UserError } from '../domain/errors';
import { Household } from '../modules/households/household.entity';
import { IssueEvent } from '../modules/issues/issue-event.entity';
import { Issue } from '../modules/issues/issue.entity';
import { SurveyResponse } from '../modules/surveys/survey-response.entity';
import { Visit } from '../modules/visits/visit.entity';
import { AddIssueEventInput, OpenIssueInput, RecordSurveyResponseInput, RecordVisitInput, UpsertHouseholdInput } from './recording.inputs';
import { RecordingService, RecordRejected } from './recording.service';
import {
  AddIssueEventPayload,
  OpenIssuePayload,
  RecordOutcome,
  RecordSurveyResponsePayload,
  RecordVisitPayload,
  UpsertHouseholdPayload,
} from './recording.types';

/** What the recording mutations use of their request. */
export interface RecordingContext extends RequestContext {
  services: { recording: RecordingService };
}

const RETRY_NOTE = ' Safe to retry with the same id: a repeat with the same content returns UNCHANGED and writes nothing.';

/** Recording mutations for data-entry apps: one record each, validated and upserted by the import. */
@Resolver()
export class RecordingResolver {
  @Mutation(() => RecordVisitPayload, { description: 'Records a visit (走访).' + RETRY_NOTE })
  async recordVisit(@Arg('input', () => RecordVisitInput) input: RecordVisitInput, @Ctx() ctx: RecordingContext): Promise<RecordVisitPayload> {
    const { sut, outcome } = await write(ctx, 'visits', input);
    return { outcome, visit: await sut.readBack(Visit, input.id) };
  }

  @Mutation(() => OpenIssuePayload, { description: 'Opens an issue (诉求).' + RETRY_NOTE })
  async openIssue(@Arg('input', () => OpenIssueInput) input: OpenIssueInput, @Ctx() ctx: RecordingContext): Promise<OpenIssuePayload> {
    const { sut, outcome } = await write(ctx, 'issues', input);
    return { outcome, issue: await sut.readBack(Issue, input.id) };
  }

  @Mutation(() => AddIssueEventPayload, { description: 'Adds an event to an issue; the issue’s state is derived again.' + RETRY_NOTE })
  async addIssueEvent(@Arg('input', () => AddIssueEventInput) input: AddIssueEventInput, @Ctx() ctx: RecordingContext): Promise<AddIssueEventPayload> {
    const { sut, outcome } = await write(ctx, 'issue_events', input);
    const event = await sut.readBack(IssueEvent, input.id);
    return { outcome, event, issue: await sut.readBack(Issue, event.issueId) };
  }

  @Mutation(() => RecordSurveyResponsePayload, { description: 'Records a satisfaction survey response.' + RETRY_NOTE })
  async recordSurveyResponse(
    @Arg('input', () => RecordSurveyResponseInput) input: RecordSurveyResponseInput,
    @Ctx() ctx: RecordingContext,
  ): Promise<RecordSurveyResponsePayload> {
    const { sut, outcome } = await write(ctx, 'survey_responses', input);
    const surveyResponse = await sut.readBack(SurveyResponse, input.id);
    return { outcome, surveyResponse, issue: surveyResponse.issueId ? await sut.readBack(Issue, surveyResponse.issueId) : null };
  }

  @Mutation(() => UpsertHouseholdPayload, { description: 'Creates or replaces a household (all fields, as an import line).' + RETRY_NOTE })
  async upsertHousehold(@Arg('input', () => UpsertHouseholdInput) input: UpsertHouseholdInput, @Ctx() ctx: RecordingContext): Promise<UpsertHouseholdPayload> {
    const { sut, outcome } = await write(ctx, 'households', input);
    return { outcome, household: await sut.readBack(Household, input.id) };
  }
}

async function write(ctx: RecordingContext, dataset: Parameters<RecordingService['record']>[0], input: object): Promise<{ sut: RecordingService; outcome: RecordOutcome }> {
  assertCanWrite(ctx);
  const sut = ctx.services.recording;
  try {
    const { outcome } = await sut.record(dataset, input);
    return { sut, outcome };
  } catch (err) {
    if (err instanceof RecordRejected) throw badInput(err.message, { dataset, errors: err.errors });
    throw err;
  }
}

/** ADMIN and INGEST may record (roles.ts canWrite); the access guard checks it too, this keeps the rule next to the write. */
function assertCanWrite(ctx: RecordingContext): void {
  if (!ctx.principal) throw new UserError('UNAUTHENTICATED', 'sign in or send a token to record data');
  if (!canWrite(ctx.principal.role)) throw new UserError('FORBIDDEN', `role ${ctx.principal.role} may not record data; ADMIN or INGEST may`);
}
