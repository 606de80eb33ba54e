import { DataSource } from 'typeorm';
import { CadreRank } from '../../domain/enums';
import { BY_ID, Page, PageRequest, paginate } from '../../graphql/connection';
import { joinSubtree, Scope, selectInScope } from '../../graphql/scope';
import { Cadre } from './cadre.entity';

export interface CadreListFilter {
  /** Cadres of this region or any region below it. */
  regionId?: string | null;
  rank?: CadreRank | null;
}

/** Reads cadres within the request's scope. */
export class CadreService {
  constructor(
    private readonly ds: DataSource,
    private readonly scope: Scope,
  ) {}

  private select() {
    return selectInScope(this.ds, this.scope, Cadre, 'c');
  }

  /** A page of cadres by id. */
  list(filter: CadreListFilter, page: PageRequest): Promise<Page<Cadre>> {
    const qb = this.select();
    if (filter.regionId) joinSubtree(qb, 'c.regionId', filter.regionId, 'filter');
    if (filter.rank) qb.andWhere('c.rank = :rank', { rank: filter.rank });
    return paginate(qb, BY_ID, page);
  }

  /** The cadres with these ids (unknown or out-of-scope ids are absent). */
  findByIds(ids: readonly string[]): Promise<Cadre[]> {
    return this.select().where('c.id IN (:...ids)', { ids }).getMany();
  }
}
