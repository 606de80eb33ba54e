import { CreateRecordTables1763856000000 } from './1763856000000-CreateRecordTables';
import { CreateWriteClock1763856100000 } from './1763856100000-CreateWriteClock';
import { CreateAccessTables1763856200000 } from './1763856200000-CreateAccessTables';
import { CreateRollupTables1764000000000 } from './1764000000000-CreateRollupTables';
import { AddAnalyticsIndexes1764000100000 } from './1764000100000-AddAnalyticsIndexes';
import { AddMetricsIndexes1764000200000 } from './1764000200000-AddMetricsIndexes';
import { CreateSubtreeRollup1764000300000 } from './1764000300000-CreateSubtreeRollup';
import { DropRedundantIndexes1764000400000 } from './1764000400000-DropRedundantIndexes';
import { CreateVisitsRollup1764000500000 } from './1764000500000-CreateVisitsRollup';
import { AddSubtreeRollupLevel1764000600000 } from './1764000600000-AddSubtreeRollupLevel';
import { CreateEngineRollups1765000000000 } from './1765000000000-CreateEngineRollups';
import { AddIssueContacted1765000100000 } from './1765000100000-AddIssueContacted';
import { CreateSettings1765100000000 } from './1765100000000-CreateSettings';
import { CreateAuditLog1765100100000 } from './1765100100000-CreateAuditLog';
import { CreateMonthlyReports1765200000000 } from './1765200000000-CreateMonthlyReports';
import { AddPairingDayIndexes1765300000000 } from './1765300000000-AddPairingDayIndexes';
import { WidenPairingCadreIndex1765400000000 } from './1765400000000-WidenPairingCadreIndex';

/** Applied in this order; a new migration is appended, never edited once released. */
export const MIGRATIONS = [CreateRecordTables1763856000000, CreateWriteClock1763856100000, CreateAccessTables1763856200000, CreateRollupTables1764000000000, AddAnalyticsIndexes1764000100000, AddMetricsIndexes1764000200000, CreateSubtreeRollup1764000300000, DropRedundantIndexes1764000400000, CreateVisitsRollup1764000500000, AddSubtreeRollupLevel1764000600000, CreateEngineRollups1765000000000, AddIssueContacted1765000100000, CreateSettings1765100000000, CreateAuditLog1765100100000, CreateMonthlyReports1765200000000, AddPairingDayIndexes1765300000000, WidenPairingCadreIndex1765400000000];
