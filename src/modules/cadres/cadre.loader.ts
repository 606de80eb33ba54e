import { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { CadreService } from './cadre.service';

/** Cadres by id. */
export function createCadreLoaders(ds: DataSource, scope: Scope) {
  const service = new CadreService(ds, scope);
  return { byId: byIdLoader((ids) => service.findByIds(ids)) };
}
