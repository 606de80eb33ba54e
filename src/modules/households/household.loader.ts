import { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { HouseholdService } from './household.service';

/** Households by id. */
export function createHouseholdLoaders(ds: DataSource, scope: Scope) {
  const service = new HouseholdService(ds, scope);
  return { byId: byIdLoader((ids) => service.findByIds(ids)) };
}
