import { DATASET_NAMES, DATASETS, Dataset, FieldDef, FieldKind } from '../domain/datasets';
import { AlertSubjectKinds, AlertTypes, AuditChannels, AuditKinds, IssueStatuses, ResidentAnswers } from '../domain/enums';
import type { ExtractDatasetName } from '../domain/extract-jobs';
import { FAMILY_PARTS, MS_PARTS } from '../analytics/measures/parts';

/** A column of an extract: an import field (datasets.ts) or a computed one. */
export interface ExtractField {
  name: string;
  /** Table column (record extracts); absent for values computed in JavaScript. */
  column?: string;
  /** `number` is a float (hours); the rest as in datasets.ts. */
  kind: FieldKind | 'number';
  values?: readonly string[];
  personal?: FieldDef['personal'];
}

/** An extract row: JSON names to JSON values (instants already ISO-8601 UTC strings). */
export type ExtractRecord = Record<string, unknown>;

/**
 * The one hook every extract row passes through before it is written (HTTP, CLI, jobs):
 * where role-based masking of personal fields plugs in.
 */
export type RowTransform = (row: ExtractRecord, dataset: ExtractDatasetDef) => ExtractRecord;

export interface ExtractDatasetDef {
  name: ExtractDatasetName;
  fields: ExtractField[];
  /** Record extracts page by (updated_at, id) over this table; daily_metrics and alerts are computed. */
  table?: string;
  incremental: boolean;
  /** The one-row clock whose last stamp is a pull's watermark (default write_clock). */
  clock?: 'write_clock' | 'audit_clock';
}

const stamps: ExtractField[] = [
  { name: 'createdAt', column: 'created_at', kind: 'instant' },
  { name: 'updatedAt', column: 'updated_at', kind: 'instant' },
];

const fromImport = (d: FieldDef): ExtractField => ({
  name: d.name,
  column: d.column,
  kind: d.kind,
  ...(d.values ? { values: d.values } : {}),
  ...(d.personal ? { personal: d.personal } : {}),
});

function recordDataset(name: Dataset): ExtractDatasetDef {
  const def = DATASETS[name];
  return { name, table: def.table, incremental: true, fields: [...def.fields.map(fromImport), ...stamps] };
}

/**
 * issue_facts: the issue as imported, then its derived state as stored on `issues` (from all
 * recorded events and responses, so it changes only when data changes and `updatedAt` pulls
 * stay exact), then values computed from it.
 */
const ISSUE_FACT_FIELDS: ExtractField[] = [
  ...DATASETS.issues.fields.map(fromImport),
  { name: 'status', column: 'status', kind: 'enum', values: IssueStatuses.values },
  { name: 'closed', kind: 'bool' },
  { name: 'unitResolved', kind: 'bool' },
  { name: 'firstResponseAt', column: 'first_response_at', kind: 'instant' },
  { name: 'resolvedAt', column: 'resolved_at', kind: 'instant' },
  { name: 'transferCount', column: 'transfer_count', kind: 'int' },
  { name: 'reopenCount', column: 'reopen_count', kind: 'int' },
  { name: 'departmentId', column: 'department_id', kind: 'ref' },
  { name: 'residentAnswer', column: 'resident_answer', kind: 'enum', values: ResidentAnswers.values },
  { name: 'latestScore', column: 'latest_score', kind: 'int' },
  { name: 'contacted', column: 'contacted', kind: 'bool' },
  { name: 'hoursToFirstResponse', kind: 'number' },
  { name: 'hoursToResolve', kind: 'number' },
  { name: 'respondedInSla', kind: 'bool' },
  { name: 'onTime', kind: 'bool' },
  { name: 'stateChangedAt', column: 'state_changed_at', kind: 'instant' },
  ...stamps,
];

/**
 * The columns of daily_metrics after date and villageId: the engine's additive parts
 * (src/analytics/measures/parts.ts) of the satisfaction, visits and issue cohort families, in
 * that order, by part name; parts summed in milliseconds are stated in hours (`…HoursSum`).
 * Documented in README.md.
 */
export const DAILY_PARTS: ReadonlyArray<{ part: string; column: string; hours: boolean }> = [...FAMILY_PARTS.satisfaction, ...FAMILY_PARTS.visits, ...FAMILY_PARTS.issues].map((name) =>
  MS_PARTS.has(name) ? { part: name, column: name.replace(/Ms$/, 'HoursSum'), hours: true } : { part: name, column: name, hours: false },
);

export const DAILY_MEASURES: readonly string[] = DAILY_PARTS.map((p) => p.column);

const DAILY_METRIC_FIELDS: ExtractField[] = [
  { name: 'date', kind: 'date' },
  { name: 'villageId', kind: 'ref' },
  ...DAILY_PARTS.map((p): ExtractField => ({ name: p.column, kind: p.hours ? 'number' : 'int' })),
];

/** alerts: the worklists (预警) as of the pull, one row per alert in list order (src/analytics/alerts/). */
export const ALERT_FIELDS: ExtractField[] = [
  { name: 'type', kind: 'enum', values: AlertTypes.values },
  { name: 'subjectId', kind: 'ref' },
  { name: 'subjectKind', kind: 'enum', values: AlertSubjectKinds.values },
  { name: 'regionId', kind: 'ref' },
  { name: 'departmentId', kind: 'ref' },
  { name: 'cadreId', kind: 'ref' },
  { name: 'since', kind: 'instant' },
  { name: 'ageHours', kind: 'number' },
];

/**
 * audit_log: the audit trail as stored (ADMIN only; src/audit/). Its stamps come from its own
 * clock, so paging it is as exact as paging records, and an entry never moves the data version.
 */
const AUDIT_LOG_FIELDS: ExtractField[] = [
  { name: 'id', column: 'id', kind: 'id' },
  { name: 'kind', column: 'kind', kind: 'enum', values: AuditKinds.values },
  { name: 'operation', column: 'operation', kind: 'string' },
  { name: 'records', column: 'records', kind: 'int' },
  { name: 'principalKind', column: 'principal_kind', kind: 'string' },
  { name: 'principalId', column: 'principal_id', kind: 'string' },
  { name: 'principalName', column: 'principal_name', kind: 'string' },
  { name: 'role', column: 'role', kind: 'string' },
  { name: 'scopeRegionId', column: 'scope_region_id', kind: 'ref' },
  { name: 'channel', column: 'channel', kind: 'enum', values: AuditChannels.values },
  { name: 'requestId', column: 'request_id', kind: 'string' },
  { name: 'details', column: 'details', kind: 'string' },
  ...stamps,
];

/** Every extract by name. */
export const EXTRACT_DATASETS: Record<ExtractDatasetName, ExtractDatasetDef> = {
  ...(Object.fromEntries(DATASET_NAMES.map((n) => [n, recordDataset(n)])) as Record<Dataset, ExtractDatasetDef>),
  issue_facts: { name: 'issue_facts', table: 'issues', incremental: true, fields: ISSUE_FACT_FIELDS },
  daily_metrics: { name: 'daily_metrics', incremental: false, fields: DAILY_METRIC_FIELDS },
  alerts: { name: 'alerts', incremental: false, fields: ALERT_FIELDS },
  audit_log: { name: 'audit_log', table: 'audit_log', incremental: true, clock: 'audit_clock', fields: AUDIT_LOG_FIELDS },
};

/** Names of the table columns an extract selects (its stored fields), in field order. */
export function storedColumns(def: ExtractDatasetDef): string[] {
  return def.fields.filter((f) => f.column).map((f) => f.column!);
}
