import { Connection } from '../../graphql/connection';
import { Department } from './department.entity';

export const DepartmentConnection = Connection('Department', Department);
export type DepartmentConnection = InstanceType<typeof DepartmentConnection>;
