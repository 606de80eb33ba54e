import { stringify } from 'csv-stringify/sync';
import { ALL_ENUMS } from '../domain/enums';
import type { ExtractDatasetDef, ExtractField, ExtractRecord } from './extract-datasets';
import type { ExtractFormat } from '../domain/extract-jobs';

export interface FormatOptions {
  format: ExtractFormat;
  /** Add `<field>Label` (Chinese) after every enum field. */
  labels: boolean;
  /** CSV only: start with a UTF-8 byte order mark so Excel reads the file as UTF-8. */
  bom: boolean;
}

/** Writes extract records as text: a prefix (BOM, CSV header), then chunks of rows. */
export interface Serializer {
  contentType: string;
  extension: string;
  prefix(): string;
  rows(records: ExtractRecord[]): string;
}

const BOM = '\uFEFF';

/** The Chinese labels of an enum field, found by its value list (ONLINE means different things in two enums). */
function labelsOf(field: ExtractField): Record<string, string> {
  const e = Object.values(ALL_ENUMS).find(
    (x) => x.values === field.values || (x.values.length === field.values!.length && x.values.every((v, i) => v === field.values![i])),
  );
  if (!e) throw new Error(`no labels for enum field ${field.name}`);
  return Object.fromEntries(Object.entries(e.labels).map(([v, [zh]]) => [v, zh as string]));
}

interface Column {
  name: string;
  value: (r: ExtractRecord) => unknown;
}

function columnsOf(def: ExtractDatasetDef, labels: boolean): Column[] {
  const cols: Column[] = [];
  for (const f of def.fields) {
    cols.push({ name: f.name, value: (r) => r[f.name] });
    if (labels && (f.kind === 'enum' || f.kind === 'enumList')) {
      const zh = labelsOf(f);
      const label = (v: unknown) => (v == null ? null : (zh[String(v)] ?? null));
      cols.push({
        name: `${f.name}Label`,
        value: f.kind === 'enum' ? (r) => label(r[f.name]) : (r) => ((r[f.name] as unknown[] | null) ?? []).map(label),
      });
    }
  }
  return cols;
}

/** CSV cell text: empty for null, true/false, enum lists comma-joined (labels with 、). */
function csvCell(v: unknown, isLabel: boolean): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.join(isLabel ? '、' : ',');
  return String(v);
}

/** The serializer for a dataset and format options. */
export function createSerializer(def: ExtractDatasetDef, o: FormatOptions): Serializer {
  const cols = columnsOf(def, o.labels);
  if (o.format === 'ndjson') {
    return {
      contentType: 'application/x-ndjson; charset=utf-8',
      extension: 'ndjson',
      prefix: () => '',
      rows: (records) => {
        let out = '';
        for (const r of records) {
          const obj: Record<string, unknown> = {};
          for (const c of cols) obj[c.name] = c.value(r) ?? null;
          out += JSON.stringify(obj) + '\n';
        }
        return out;
      },
    };
  }
  const isLabel = cols.map((c) => c.name.endsWith('Label') && !def.fields.some((f) => f.name === c.name));
  // RFC 4180: CRLF between records, fields with separators, quotes or line breaks quoted, quotes doubled.
  // csv-stringify quotes only the record delimiter itself, so a lone \n or \r is matched explicitly.
  const csv = (rows: string[][]) => stringify(rows, { record_delimiter: '\r\n', eof: true, quoted_match: /[\r\n]/ });
  return {
    contentType: 'text/csv; charset=utf-8; header=present',
    extension: 'csv',
    prefix: () => (o.bom ? BOM : '') + csv([cols.map((c) => c.name)]),
    rows: (records) => (records.length ? csv(records.map((r) => cols.map((c, i) => csvCell(c.value(r), isLabel[i])))) : ''),
  };
}
