import { DataSource } from 'typeorm';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Household } from './household.entity';

/** Reads households by id within the request's scope (lists: analytics/records). */
export class HouseholdService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Household, 'h');
  }

  /** The households with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Household[]> {
    return this.select(scope).where('h.id IN (:...ids)', { ids }).getMany();
  }
}
