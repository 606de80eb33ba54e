import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ResidentAnswers, SurveyChannels } from '../../domain/enums';
import type { ModulesContext } from '../modules.context';
import { Cadre } from '../cadres/cadre.entity';
import { Household } from '../households/household.entity';
import { Issue } from '../issues/issue.entity';
import { Region } from '../regions/region.entity';
import { SurveyResponse } from './survey-response.entity';

/** Survey response labels and relations (the `surveyResponses` list: analytics/records). */
@Resolver(() => SurveyResponse)
export class SurveyResponseResolver {
  @FieldResolver(() => String, { description: 'Chinese label of `channel`.' })
  channelLabel(@Root() s: SurveyResponse): string {
    return SurveyChannels.labels[s.channel][0];
  }

  @FieldResolver(() => String, { nullable: true, description: 'Chinese label of `resolved`.' })
  resolvedLabel(@Root() s: SurveyResponse): string | null {
    return s.resolved === null ? null : ResidentAnswers.labels[s.resolved][0];
  }

  @FieldResolver(() => Region)
  region(@Root() s: SurveyResponse, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(s.regionId);
  }

  @FieldResolver(() => Issue, { nullable: true })
  issue(@Root() s: SurveyResponse, @Ctx() ctx: ModulesContext): Promise<Issue | null> | null {
    return s.issueId === null ? null : ctx.loaders.issues.byId.load(s.issueId);
  }

  @FieldResolver(() => Cadre, { nullable: true })
  cadre(@Root() s: SurveyResponse, @Ctx() ctx: ModulesContext): Promise<Cadre | null> | null {
    return s.cadreId === null ? null : ctx.loaders.cadres.byId.load(s.cadreId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() s: SurveyResponse, @Ctx() ctx: ModulesContext): Promise<Household | null> | null {
    return s.householdId === null ? null : ctx.loaders.households.byId.load(s.householdId);
  }
}
