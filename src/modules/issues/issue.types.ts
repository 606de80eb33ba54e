import { Connection } from '../shared/connection';
import { Issue } from './issue.entity';

export const IssueConnection = Connection('Issue', Issue);
export type IssueConnection = InstanceType<typeof IssueConnection>;
