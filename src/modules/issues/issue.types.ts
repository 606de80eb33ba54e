import { Connection } from '../../graphql/connection';
import { Issue } from './issue.entity';

export const IssueConnection = Connection('Issue', Issue);
export type IssueConnection = InstanceType<typeof IssueConnection>;
