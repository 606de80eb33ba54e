import { byIdLoader, groupLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { IssueService } from './issue.service';

/** Issues by id and by visit id; events by issue id. */
export function createIssueLoaders(service: IssueService, scope: Scope) {
  const byId = byIdLoader((ids) => service.findByIds(scope, ids));
  return {
    byId,
    byVisitId: groupLoader((ids) => service.ofVisits(scope, ids), (i) => i.visitId, byId),
    events: groupLoader((ids) => service.eventsOf(scope, ids), (e) => e.issueId),
  };
}
