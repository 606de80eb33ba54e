import { Connection } from '../../graphql/connection';
import { Visit } from './visit.entity';

export const VisitConnection = Connection('Visit', Visit);
export type VisitConnection = InstanceType<typeof VisitConnection>;
