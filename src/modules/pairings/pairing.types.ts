import { Connection } from '../shared/connection';
import { Pairing } from './pairing.entity';

export const PairingConnection = Connection('Pairing', Pairing);
export type PairingConnection = InstanceType<typeof PairingConnection>;
