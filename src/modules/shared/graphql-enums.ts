import { registerEnumType } from 'type-graphql';
import * as E from '../../domain/enums';

/** Registers a domain enum with GraphQL, each value described by its Chinese label. */
function register<K extends string>(name: string, def: { enum: { [P in K]: P }; labels: Record<K, [string, string]> }) {
  registerEnumType(def.enum, {
    name,
    valuesConfig: Object.fromEntries(
      Object.entries(def.labels).map(([k, v]) => [k, { description: `${(v as string[])[0]} (${(v as string[])[1]})` }]),
    ) as never,
  });
  return def.enum;
}

export const RegionLevelEnum = register('RegionLevel', E.RegionLevels);
export const CadreRankEnum = register('CadreRank', E.CadreRanks);
export const HouseholdTagEnum = register('HouseholdTag', E.HouseholdTags);
export const VisitKindEnum = register('VisitKind', E.VisitKinds);
export const IssueChannelEnum = register('IssueChannel', E.IssueChannels);
export const IssueCategoryEnum = register('IssueCategory', E.IssueCategories);
export const IssueEventTypeEnum = register('IssueEventType', E.IssueEventTypes);
export const IssueStatusEnum = register('IssueStatus', E.IssueStatuses);
export const SurveyChannelEnum = register('SurveyChannel', E.SurveyChannels);
export const ResidentAnswerEnum = register('ResidentAnswer', E.ResidentAnswers);
