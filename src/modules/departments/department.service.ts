import { DataSource } from 'typeorm';
import { BY_ID, Page, PageRequest, paginate } from '../../graphql/connection';
import { Scope, selectInScope } from '../../graphql/scope';
import { Department } from './department.entity';

/** Reads departments (shared reference data: the same in every scope). */
export class DepartmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly scope: Scope,
  ) {}

  private select() {
    return selectInScope(this.ds, this.scope, Department, 'd');
  }

  /** A page of departments by id. */
  list(page: PageRequest): Promise<Page<Department>> {
    return paginate(this.select(), BY_ID, page);
  }

  /** The departments with these ids. */
  findByIds(ids: readonly string[]): Promise<Department[]> {
    return this.select().where('d.id IN (:...ids)', { ids }).getMany();
  }
}
