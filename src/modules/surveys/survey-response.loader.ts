import { groupLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { SurveyResponseService } from './survey-response.service';

/** Survey responses by issue id. */
export function createSurveyResponseLoaders(service: SurveyResponseService, scope: Scope) {
    return { byIssueId: groupLoader((ids) => service.ofIssues(scope, ids), (s) => s.issueId) };
}
