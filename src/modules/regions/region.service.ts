import { DataSource } from 'typeorm';
import { RegionLevel } from '../../domain/enums';
import { BY_ID, Page, PageRequest, paginate } from '../shared/connection';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Region, RegionClosure } from './region.entity';

export interface RegionListFilter {
  level?: RegionLevel | null;
  /** Direct children of this region. */
  parentId?: string | null;
}

/** An ancestor of `descendantId`, `distance` levels above it. */
export interface RegionAncestor {
  descendantId: string;
  distance: number;
  region: Region;
}

/** Reads regions within the request's scope. */
export class RegionService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Region, 'r');
  }

  /** A page of regions by id, optionally of one level or under one parent. */
  list(scope: Scope, filter: RegionListFilter, page: PageRequest): Promise<Page<Region>> {
    const qb = this.select(scope);
    if (filter.level) qb.andWhere('r.level = :level', { level: filter.level });
    if (filter.parentId) qb.andWhere('r.parentId = :parentId', { parentId: filter.parentId });
    return paginate(qb, BY_ID, page);
  }

  /** The regions with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Region[]> {
    return this.select(scope).where('r.id IN (:...ids)', { ids }).getMany();
  }

  /** The children of these regions, ordered by id. */
  childrenOf(scope: Scope, parentIds: readonly string[]): Promise<Region[]> {
    return this.select(scope).where('r.parentId IN (:...parentIds)', { parentIds }).orderBy('r.id', 'ASC').getMany();
  }

  /** The proper ancestors of these regions, root first, through the closure table (one statement). */
  async ancestorsOf(scope: Scope, ids: readonly string[]): Promise<RegionAncestor[]> {
    const { raw, entities } = await this.select(scope)
      .innerJoin(RegionClosure, 'anc', 'anc.ancestorId = r.id')
      .addSelect(['anc.descendantId', 'anc.distance'])
      .where('anc.descendantId IN (:...ids)', { ids })
      .andWhere('anc.distance > 0')
      .orderBy('anc.descendantId', 'ASC')
      .addOrderBy('anc.distance', 'DESC')
      .getRawAndEntities();
    // Entities come back de-duplicated (one region is the ancestor of many); the raw rows keep every pair.
    const byId = new Map(entities.map((e) => [e.id, e]));
    return (raw as Array<Record<string, unknown>>).map((row) => ({
      descendantId: String(row.anc_descendant_id),
      distance: Number(row.anc_distance),
      region: byId.get(String(row.r_id))!,
    }));
  }
}
