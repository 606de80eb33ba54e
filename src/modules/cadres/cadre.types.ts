import { Connection } from '../shared/connection';
import { Cadre } from './cadre.entity';

export const CadreConnection = Connection('Cadre', Cadre);
export type CadreConnection = InstanceType<typeof CadreConnection>;
