import { Connection } from '../shared/connection';
import { Visit } from './visit.entity';

export const VisitConnection = Connection('Visit', Visit);
export type VisitConnection = InstanceType<typeof VisitConnection>;
