import { DataSource } from 'typeorm';
import { SurveyChannel } from '../../domain/enums';
import { InstantRange, newestBy, Page, PageRequest, paginate, whereInstantRange } from '../shared/connection';
import { joinSubtree, selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { SurveyResponse } from './survey-response.entity';

export interface SurveyResponseListFilter extends InstantRange {
  /** Responses from this region or any region below it. */
  regionId?: string | null;
  issueId?: string | null;
  cadreId?: string | null;
  householdId?: string | null;
  channels?: SurveyChannel[] | null;
}

/** Reads survey responses within the request's scope. */
export class SurveyResponseService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, SurveyResponse, 's');
  }

  /** A page of responses, newest first (ties by id), `from`/`to` on `respondedAt`. */
  list(scope: Scope, filter: SurveyResponseListFilter, page: PageRequest): Promise<Page<SurveyResponse>> {
    const qb = this.select(scope);
    if (filter.regionId) joinSubtree(qb, 's.regionId', filter.regionId, 'filter');
    if (filter.issueId) qb.andWhere('s.issueId = :issueId', { issueId: filter.issueId });
    if (filter.cadreId) qb.andWhere('s.cadreId = :cadreId', { cadreId: filter.cadreId });
    if (filter.householdId) qb.andWhere('s.householdId = :householdId', { householdId: filter.householdId });
    if (filter.channels) qb.andWhere('s.channel IN (:...channels)', { channels: filter.channels });
    whereInstantRange(qb, 's.respondedAt', filter);
    return paginate(qb, newestBy('respondedAt'), page);
  }

  /** The responses linked to these issues, ordered by `respondedAt` then id. */
  ofIssues(scope: Scope, issueIds: readonly string[]): Promise<SurveyResponse[]> {
    return this.select(scope)
      .where('s.issueId IN (:...issueIds)', { issueIds })
      .orderBy('s.respondedAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }
}
