import { CreateRecordTables1763856000000 } from './1763856000000-CreateRecordTables';
import { CreateWriteClock1763856100000 } from './1763856100000-CreateWriteClock';
import { CreateAccessTables1763856200000 } from './1763856200000-CreateAccessTables';

/** Applied in this order; a new migration is appended, never edited once released. */
export const MIGRATIONS = [CreateRecordTables1763856000000, CreateWriteClock1763856100000, CreateAccessTables1763856200000];
