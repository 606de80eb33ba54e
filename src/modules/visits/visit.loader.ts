import { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { VisitService } from './visit.service';

/** Visits by id. */
export function createVisitLoaders(ds: DataSource, scope: Scope) {
  const service = new VisitService(ds, scope);
  return { byId: byIdLoader((ids) => service.findByIds(ids)) };
}
