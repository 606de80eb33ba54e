import { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { IssueService } from './issue.service';

/** Issues by id and by visit id; events by issue id. */
export function createIssueLoaders(ds: DataSource, scope: Scope) {
  const service = new IssueService(ds, scope);
  const byId = byIdLoader((ids) => service.findByIds(ids));
  return {
    byId,
    byVisitId: groupLoader((ids) => service.ofVisits(ids), (i) => i.visitId, byId),
    events: groupLoader((ids) => service.eventsOf(ids), (e) => e.issueId),
  };
}
