import { byIdLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { DepartmentService } from './department.service';

/** Departments by id. */
export function createDepartmentLoaders(service: DepartmentService, scope: Scope) {
    return { byId: byIdLoader((ids) => service.findByIds(scope, ids)) };
}
