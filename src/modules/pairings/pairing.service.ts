import { DataSource } from 'typeorm';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Pairing } from './pairing.entity';

/** Reads pairings within the request's scope (a pairing is where its household lives). */
export class PairingService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Pairing, 'p');
  }

  /** The pairings with these ids (in scope). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Pairing[]> {
    return this.select(scope).where('p.id IN (:...ids)', { ids }).getMany();
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
