import type { Config } from '../config';
import type { ExtractDatasetDef, ExtractField, ExtractRecord } from './extract-datasets';
import type { Row } from './read-connection';

const HOUR_MS = 3_600_000;

/** A stored cell as its JSON value: ISO-8601 UTC instants with milliseconds, booleans, enum lists as arrays. */
export function cellValue(f: ExtractField, v: unknown): unknown {
  if (f.kind === 'enumList') return v == null || v === '' ? [] : String(v).split(',');
  if (v === null || v === undefined) return null;
  switch (f.kind) {
    case 'instant':
      return new Date(Number(v)).toISOString();
    case 'int':
    case 'number':
      return Number(v);
    case 'bool':
      return Number(v) === 1;
    default:
      return String(v);
  }
}

/** The SELECT list of a record extract: its stored columns, quoted. */
export function selectList(def: ExtractDatasetDef, escape: (c: string) => string): string {
  return def.fields.filter((f) => f.column).map((f) => escape(f.column!)).join(', ');
}

/** Maps stored rows of a record extract to extract records (issue_facts adds its computed values). */
export function rowMapper(def: ExtractDatasetDef, config: Pick<Config, 'responseSlaHours'>): (row: Row) => ExtractRecord {
  const stored = def.fields.filter((f) => f.column);
  const base = (row: Row) => {
    const r: ExtractRecord = {};
    for (const f of stored) r[f.name] = cellValue(f, row[f.column!]);
    return r;
  };
  if (def.name !== 'issue_facts') return base;
  const slaMs = config.responseSlaHours * HOUR_MS;
  return (row) => {
    const r = base(row);
    const received = Number(row.received_at);
    const first = row.first_response_at == null ? null : Number(row.first_response_at);
    // resolved_at is stored only while the unit's last outcome is RESOLVED (issue-state.ts).
    const resolved = row.resolved_at == null ? null : Number(row.resolved_at);
    const due = row.due_at == null ? null : Number(row.due_at);
    r.closed = row.status === 'RESOLVED' || row.status === 'EXPLAINED' || row.status === 'CLOSED';
    r.unitResolved = resolved !== null;
    r.hoursToFirstResponse = first === null ? null : (first - received) / HOUR_MS;
    r.hoursToResolve = resolved === null ? null : (resolved - received) / HOUR_MS;
    r.respondedInSla = first !== null && first - received <= slaMs;
    r.onTime = due === null ? null : resolved !== null && resolved <= due;
    return r;
  };
}
