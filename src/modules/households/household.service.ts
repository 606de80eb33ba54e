import { Brackets, DataSource } from 'typeorm';
import { HouseholdTag } from '../../domain/enums';
import { BY_ID, Page, PageRequest, paginate } from '../shared/connection';
import { joinSubtree, selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Household } from './household.entity';

export interface HouseholdListFilter {
  /** Households of this region or any region below it. */
  regionId?: string | null;
  /** Households that carry every one of these tags. */
  tags?: HouseholdTag[] | null;
}

/** Reads households within the request's scope. */
export class HouseholdService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Household, 'h');
  }

  /** A page of households by id. */
  list(scope: Scope, filter: HouseholdListFilter, page: PageRequest): Promise<Page<Household>> {
    const qb = this.select(scope);
    if (filter.regionId) joinSubtree(qb, 'h.regionId', filter.regionId, 'filter');
    [...new Set(filter.tags ?? [])].forEach((tag, i) => {
      // Tags are stored comma-joined; match the tag as a whole item, wherever it sits.
      // '_' is a LIKE wildcard, hence the escape.
      const item = tag.replace(/_/g, '!_');
      qb.andWhere(
        new Brackets((w) => {
          w.where(`h.tags = :tag${i}`, { [`tag${i}`]: tag })
            .orWhere(`h.tags LIKE :tagFirst${i} ESCAPE '!'`, { [`tagFirst${i}`]: `${item},%` })
            .orWhere(`h.tags LIKE :tagLast${i} ESCAPE '!'`, { [`tagLast${i}`]: `%,${item}` })
            .orWhere(`h.tags LIKE :tagMid${i} ESCAPE '!'`, { [`tagMid${i}`]: `%,${item},%` });
        }),
      );
    });
    return paginate(qb, BY_ID, page);
  }

  /** The households with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Household[]> {
    return this.select(scope).where('h.id IN (:...ids)', { ids }).getMany();
  }
}
