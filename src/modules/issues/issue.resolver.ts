import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { IssueCategories, IssueChannels, IssueEventTypes, IssueStatuses, ResidentAnswers } from '../../domain/enums';
import type { ModulesContext } from '../modules.context';
import { Department } from '../departments/department.entity';
import { Household } from '../households/household.entity';
import { Region } from '../regions/region.entity';
import { SurveyResponse } from '../surveys/survey-response.entity';
import { Visit } from '../visits/visit.entity';
import { IssueEvent } from './issue-event.entity';
import { Issue } from './issue.entity';

/** `issue(id)`, labels of the derived state, and relations (the `issues` list: analytics/records). */
@Resolver(() => Issue)
export class IssueResolver {
  @Query(() => Issue, { nullable: true, description: 'An issue by id; null if unknown.' })
  issue(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<Issue | null> {
    return ctx.loaders.issues.byId.load(id);
  }

  @FieldResolver(() => String, { description: 'Chinese label of `channel`.' })
  channelLabel(@Root() i: Issue): string {
    return IssueChannels.labels[i.channel][0];
  }

  @FieldResolver(() => String, { description: 'Chinese label of `category`.' })
  categoryLabel(@Root() i: Issue): string {
    return IssueCategories.labels[i.category][0];
  }

  @FieldResolver(() => String, { description: 'Chinese label of `status`.' })
  statusLabel(@Root() i: Issue): string {
    return IssueStatuses.labels[i.status][0];
  }

  @FieldResolver(() => String, { nullable: true, description: 'Chinese label of `residentAnswer`.' })
  residentAnswerLabel(@Root() i: Issue): string | null {
    return i.residentAnswer === null ? null : ResidentAnswers.labels[i.residentAnswer][0];
  }

  @FieldResolver(() => Region)
  region(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(i.regionId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<Household | null> | null {
    return i.householdId === null ? null : ctx.loaders.households.byId.load(i.householdId);
  }

  @FieldResolver(() => Visit, { nullable: true, description: 'The visit the issue was raised on.' })
  visit(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<Visit | null> | null {
    return i.visitId === null ? null : ctx.loaders.visits.byId.load(i.visitId);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The current department (last ASSIGNED/TRANSFERRED).' })
  department(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<Department | null> | null {
    return i.departmentId === null ? null : ctx.loaders.departments.byId.load(i.departmentId);
  }

  @FieldResolver(() => [IssueEvent], { description: 'The handling steps, by `at` then id.' })
  events(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<IssueEvent[]> {
    return ctx.loaders.issues.events.load(i.id);
  }

  @FieldResolver(() => [SurveyResponse], { description: 'Callbacks on this issue, by `respondedAt` then id.' })
  surveys(@Root() i: Issue, @Ctx() ctx: ModulesContext): Promise<SurveyResponse[]> {
    return ctx.loaders.surveyResponses.byIssueId.load(i.id);
  }
}

/** Issue event label and relations. */
@Resolver(() => IssueEvent)
export class IssueEventResolver {
  @FieldResolver(() => String, { description: 'Chinese label of `type`.' })
  typeLabel(@Root() e: IssueEvent): string {
    return IssueEventTypes.labels[e.type][0];
  }

  @FieldResolver(() => Department, { nullable: true })
  department(@Root() e: IssueEvent, @Ctx() ctx: ModulesContext): Promise<Department | null> | null {
    return e.departmentId === null ? null : ctx.loaders.departments.byId.load(e.departmentId);
  }

  @FieldResolver(() => Issue)
  issue(@Root() e: IssueEvent, @Ctx() ctx: ModulesContext): Promise<Issue | null> {
    return ctx.loaders.issues.byId.load(e.issueId);
  }
}
