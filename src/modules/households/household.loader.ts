import { byIdLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { HouseholdService } from './household.service';

/** Households by id. */
export function createHouseholdLoaders(service: HouseholdService, scope: Scope) {
    return { byId: byIdLoader((ids) => service.findByIds(scope, ids)) };
}
