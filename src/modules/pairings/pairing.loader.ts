import { DataSource } from 'typeorm';
import { groupLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { PairingService } from './pairing.service';

/** Pairings by cadre id and by household id. */
export function createPairingLoaders(ds: DataSource, scope: Scope) {
  const service = new PairingService(ds, scope);
  return {
    byCadreId: groupLoader((ids) => service.ofCadres(ids), (p) => p.cadreId),
    byHouseholdId: groupLoader((ids) => service.ofHouseholds(ids), (p) => p.householdId),
  };
}
