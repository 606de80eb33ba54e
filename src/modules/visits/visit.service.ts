import { DataSource } from 'typeorm';
import { VisitKind } from '../../domain/enums';
import { InstantRange, newestBy, Page, PageRequest, paginate, whereInstantRange } from '../shared/connection';
import { joinSubtree, selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Visit } from './visit.entity';

export interface VisitListFilter extends InstantRange {
  /** Visits in this region or any region below it. */
  regionId?: string | null;
  cadreId?: string | null;
  householdId?: string | null;
  kinds?: VisitKind[] | null;
}

/** Reads visits within the request's scope. */
export class VisitService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Visit, 'v');
  }

  /** A page of visits, newest first (ties by id), `from`/`to` on `visitedAt`. */
  list(scope: Scope, filter: VisitListFilter, page: PageRequest): Promise<Page<Visit>> {
    const qb = this.select(scope);
    if (filter.regionId) joinSubtree(qb, 'v.regionId', filter.regionId, 'filter');
    if (filter.cadreId) qb.andWhere('v.cadreId = :cadreId', { cadreId: filter.cadreId });
    if (filter.householdId) qb.andWhere('v.householdId = :householdId', { householdId: filter.householdId });
    if (filter.kinds) qb.andWhere('v.kind IN (:...kinds)', { kinds: filter.kinds });
    whereInstantRange(qb, 'v.visitedAt', filter);
    return paginate(qb, newestBy('visitedAt'), page);
  }

  /** The visits with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Visit[]> {
    return this.select(scope).where('v.id IN (:...ids)', { ids }).getMany();
  }
}
