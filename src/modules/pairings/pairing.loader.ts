import { byIdLoader, groupLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { PairingService } from './pairing.service';

/** Pairings by id, by cadre id and by household id. */
export function createPairingLoaders(service: PairingService, scope: Scope) {
  return {
    byId: byIdLoader((ids) => service.findByIds(scope, ids)),
    byCadreId: groupLoader((ids) => service.ofCadres(scope, ids), (p) => p.cadreId),
    byHouseholdId: groupLoader((ids) => service.ofHouseholds(scope, ids), (p) => p.householdId),
  };
}
