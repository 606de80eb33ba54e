import { DataSource } from 'typeorm';
import { groupLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { SurveyResponseService } from './survey-response.service';

/** Survey responses by issue id. */
export function createSurveyResponseLoaders(ds: DataSource, scope: Scope) {
  const service = new SurveyResponseService(ds, scope);
  return { byIssueId: groupLoader((ids) => service.ofIssues(ids), (s) => s.issueId) };
}
