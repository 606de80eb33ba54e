import { Connection } from '../shared/connection';
import { Household } from './household.entity';

export const HouseholdConnection = Connection('Household', Household);
export type HouseholdConnection = InstanceType<typeof HouseholdConnection>;
