import { CreateRecordTables1763856000000 } from './1763856000000-CreateRecordTables';

/** Applied in this order; a new migration is appended, never edited once released. */
export const MIGRATIONS = [CreateRecordTables1763856000000];
