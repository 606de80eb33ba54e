import { DataSource } from 'typeorm';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { IssueEvent } from './issue-event.entity';
import { Issue } from './issue.entity';

/** Reads issues by id, by visit, and their events within the request's scope (lists: analytics/records). */
export class IssueService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Issue, 'i');
  }

  /** The issues with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Issue[]> {
    return this.select(scope).where('i.id IN (:...ids)', { ids }).getMany();
  }

  /** The issues raised on these visits, in the order received (ties by id). */
  ofVisits(scope: Scope, visitIds: readonly string[]): Promise<Issue[]> {
    return this.select(scope)
      .where('i.visitId IN (:...visitIds)', { visitIds })
      .orderBy('i.receivedAt', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
  }

  /** The events of these issues, ordered by `at` then id: the order the derived state reads them in. */
  eventsOf(scope: Scope, issueIds: readonly string[]): Promise<IssueEvent[]> {
    return selectInScope(this.ds, scope, IssueEvent, 'e')
      .where('e.issueId IN (:...issueIds)', { issueIds })
      .orderBy('e.at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
  }
}
