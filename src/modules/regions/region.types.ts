import { Connection } from '../shared/connection';
import { Region } from './region.entity';

export const RegionConnection = Connection('Region', Region);
export type RegionConnection = InstanceType<typeof RegionConnection>;
