import { DataSource } from 'typeorm';
import { IssueCategory, IssueChannel, IssueStatus } from '../../domain/enums';
import { InstantRange, newestBy, Page, PageRequest, paginate, whereInstantRange } from '../shared/connection';
import { joinSubtree, selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { IssueEvent } from './issue-event.entity';
import { Issue } from './issue.entity';

export interface IssueListFilter extends InstantRange {
  /** Issues raised in this region or any region below it. */
  regionId?: string | null;
  householdId?: string | null;
  visitId?: string | null;
  /** The current (derived) department. */
  departmentId?: string | null;
  channels?: IssueChannel[] | null;
  categories?: IssueCategory[] | null;
  /** The current (derived) status. */
  statuses?: IssueStatus[] | null;
}

/** Reads issues and their events within the request's scope. */
export class IssueService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Issue, 'i');
  }

  /** A page of issues, newest first (ties by id), `from`/`to` on `receivedAt`. */
  list(scope: Scope, filter: IssueListFilter, page: PageRequest): Promise<Page<Issue>> {
    const qb = this.select(scope);
    if (filter.regionId) joinSubtree(qb, 'i.regionId', filter.regionId, 'filter');
    if (filter.householdId) qb.andWhere('i.householdId = :householdId', { householdId: filter.householdId });
    if (filter.visitId) qb.andWhere('i.visitId = :visitId', { visitId: filter.visitId });
    if (filter.departmentId) qb.andWhere('i.departmentId = :departmentId', { departmentId: filter.departmentId });
    if (filter.channels) qb.andWhere('i.channel IN (:...channels)', { channels: filter.channels });
    if (filter.categories) qb.andWhere('i.category IN (:...categories)', { categories: filter.categories });
    if (filter.statuses) qb.andWhere('i.status IN (:...statuses)', { statuses: filter.statuses });
    whereInstantRange(qb, 'i.receivedAt', filter);
    return paginate(qb, newestBy('receivedAt'), page);
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
