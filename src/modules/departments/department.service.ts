import { DataSource } from 'typeorm';
import { BY_ID, Page, PageRequest, paginate } from '../shared/connection';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Department } from './department.entity';

/** Reads departments (shared reference data: the same in every scope). */
export class DepartmentService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Department, 'd');
  }

  /** A page of departments by id. */
  list(scope: Scope, page: PageRequest): Promise<Page<Department>> {
    return paginate(this.select(scope), BY_ID, page);
  }

  /** The departments with these ids. */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Department[]> {
    return this.select(scope).where('d.id IN (:...ids)', { ids }).getMany();
  }
}
