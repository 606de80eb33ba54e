import { DataSource } from 'typeorm';
import { CadreRank } from '../../domain/enums';
import { BY_ID, Page, PageRequest, paginate } from '../shared/connection';
import { joinSubtree, selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Cadre } from './cadre.entity';

export interface CadreListFilter {
  /** Cadres of this region or any region below it. */
  regionId?: string | null;
  rank?: CadreRank | null;
}

/** Reads cadres within the request's scope. */
export class CadreService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Cadre, 'c');
  }

  /** A page of cadres by id. */
  list(scope: Scope, filter: CadreListFilter, page: PageRequest): Promise<Page<Cadre>> {
    const qb = this.select(scope);
    if (filter.regionId) joinSubtree(qb, 'c.regionId', filter.regionId, 'filter');
    if (filter.rank) qb.andWhere('c.rank = :rank', { rank: filter.rank });
    return paginate(qb, BY_ID, page);
  }

  /** The cadres with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Cadre[]> {
    return this.select(scope).where('c.id IN (:...ids)', { ids }).getMany();
  }
}
