import { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { DepartmentService } from './department.service';

/** Departments by id. */
export function createDepartmentLoaders(ds: DataSource, scope: Scope) {
  const service = new DepartmentService(ds, scope);
  return { byId: byIdLoader((ids) => service.findByIds(ids)) };
}
