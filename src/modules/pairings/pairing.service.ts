import { DataSource } from 'typeorm';
import { BY_ID, Page, PageRequest, paginate } from '../shared/connection';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Pairing } from './pairing.entity';

export interface PairingListFilter {
  cadreId?: string | null;
  householdId?: string | null;
  /** Pairings active on this local date (started on or before it, not ended before it). */
  activeOn?: string | null;
}

/** Reads pairings within the request's scope (a pairing is where its household lives). */
export class PairingService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Pairing, 'p');
  }

  /** A page of pairings by id. */
  list(scope: Scope, filter: PairingListFilter, page: PageRequest): Promise<Page<Pairing>> {
    const qb = this.select(scope);
    if (filter.cadreId) qb.andWhere('p.cadreId = :cadreId', { cadreId: filter.cadreId });
    if (filter.householdId) qb.andWhere('p.householdId = :householdId', { householdId: filter.householdId });
    if (filter.activeOn) {
      // YYYY-MM-DD text compares in date order.
      qb.andWhere('p.startedOn <= :activeOn', { activeOn: filter.activeOn }).andWhere(
        '(p.endedOn IS NULL OR p.endedOn >= :activeOn)',
      );
    }
    return paginate(qb, BY_ID, page);
  }

  /** The pairings of these cadres, ordered by start date then id. */
  ofCadres(scope: Scope, cadreIds: readonly string[]): Promise<Pairing[]> {
    return this.select(scope).where('p.cadreId IN (:...cadreIds)', { cadreIds }).orderBy('p.startedOn', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  /** The pairings of these households, ordered by start date then id. */
  ofHouseholds(scope: Scope, householdIds: readonly string[]): Promise<Pairing[]> {
    return this.select(scope)
      .where('p.householdId IN (:...householdIds)', { householdIds })
      .orderBy('p.startedOn', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getMany();
  }
}
