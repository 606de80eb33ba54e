import { stringify } from 'csv-stringify/sync';
import { DATASETS, Dataset, FieldDef } from '../../domain/datasets';
import { ALL_ENUMS, IssueStatuses } from '../../domain/enums';
import type { RecordListName } from './record-filters';

/*
 * A record list as CSV: the dataset's fields (domain.md names, as import and extracts), a
 * Chinese label column after each enum, and for issues their state as of the list's asOf.
 * RFC 4180 with CRLF, a UTF-8 BOM first (spreadsheets), as the dashboard's panel CSVs.
 */

const DATASET_OF: Record<RecordListName, Dataset> = {
  issues: 'issues',
  visits: 'visits',
  surveyResponses: 'survey_responses',
  households: 'households',
  pairings: 'pairings',
};

/** The issue state columns (as of asOf) after the dataset's fields. */
const ISSUE_STATE: FieldDef[] = [
  { name: 'status', column: 'status', kind: 'enum', required: true, values: IssueStatuses.values },
  { name: 'firstResponseAt', column: 'first_response_at', kind: 'instant', required: false },
  { name: 'resolvedAt', column: 'resolved_at', kind: 'instant', required: false },
  { name: 'transferCount', column: 'transfer_count', kind: 'int', required: true },
  { name: 'reopenCount', column: 'reopen_count', kind: 'int', required: true },
  { name: 'departmentId', column: 'department_id', kind: 'ref', required: false },
  { name: 'residentAnswer', column: 'resident_answer', kind: 'enum', required: false, values: ['YES', 'PARTLY', 'NO'] },
  { name: 'latestScore', column: 'latest_score', kind: 'int', required: false },
  { name: 'contacted', column: 'contacted', kind: 'bool', required: false },
];

/** The fields a list's CSV has, in order (the masking reads their `personal` markers). */
export function csvFields(list: RecordListName): { fields: FieldDef[] } {
  const own = DATASETS[DATASET_OF[list]].fields;
  return { fields: list === 'issues' ? [...own, ...ISSUE_STATE] : own };
}

/** Chinese labels of an enum field, found by its value list. */
function labelsOf(f: FieldDef): Record<string, string> {
  const e = Object.values(ALL_ENUMS).find((x) => x.values.length === f.values!.length && x.values.every((v, i) => v === f.values![i]));
  return e ? Object.fromEntries(Object.entries(e.labels).map(([v, [zh]]) => [v, zh as string])) : {};
}

/** The header row: every field, and `<field>Label` after each enum. */
export function csvHeader(list: RecordListName): string[] {
  return csvFields(list).fields.flatMap((f) => (f.kind === 'enum' || f.kind === 'enumList' ? [f.name, `${f.name}Label`] : [f.name]));
}

/** A record as its CSV row object (field name → value), before masking. */
export function csvRecord(list: RecordListName, node: object): Record<string, unknown> {
  const n = node as Record<string, unknown>;
  return Object.fromEntries(csvFields(list).fields.map((f) => [f.name, n[f.name] ?? null]));
}

/** A (masked) row object as CSV cells in header order. */
export function csvCells(list: RecordListName, row: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const f of csvFields(list).fields) {
    const v = row[f.name];
    out.push(cell(v));
    if (f.kind === 'enum' || f.kind === 'enumList') {
      const zh = labelsOf(f);
      out.push(v == null ? '' : Array.isArray(v) ? v.map((x) => zh[String(x)] ?? '').join('、') : (zh[String(v)] ?? ''));
    }
  }
  return out;
}

function cell(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.join(',');
  return v;
}

/** Rows as CSV text (CRLF; quoted where needed). */
export const csvText = (rows: unknown[][]) => stringify(rows as never, { record_delimiter: 'windows' });

export const CSV_BOM = '\uFEFF';
