import { Connection } from '../shared/connection';
import { Department } from './department.entity';

export const DepartmentConnection = Connection('Department', Department);
export type DepartmentConnection = InstanceType<typeof DepartmentConnection>;
