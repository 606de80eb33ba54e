import { DATASETS, Dataset, DatasetDef, FieldDef, fieldIndex } from '../domain/datasets';
import { REGION_LEVEL_DEPTH, RegionLevel } from '../domain/enums';
import type { ImportLineError, NdjsonLine } from './ndjson';
export type { ImportLineError } from './ndjson';

/**
 * Import validation, per dataset, from src/domain/datasets.ts: pure functions, no database.
 * A valid record comes out in its stored form (the cells written to the table), so the
 * import can compare it with the stored row field by field.
 */

/** A stored cell: epoch ms, whole numbers, 0/1, text, or null. */
export type Cell = string | number | null;

/** A record that passed its own checks, as the cells of `DATASETS[dataset].fields` in order. */
export interface ValidRecord {
  line: number;
  id: string;
  cells: Cell[];
}

export interface ValidationLimits {
  /** Longest `text` field, in characters (MAX_FIELD_CHARS). */
  maxFieldChars: number;
}

/**
 * Kept by Minqing on every row. An extract carries them, so they are accepted and ignored:
 * an extract re-imports unchanged (the stored stamps are Minqing's, never the file's).
 */
const STAMP_FIELDS = new Set(['createdAt', 'updatedAt']);
/** MySQL's TEXT holds 65,535 bytes; checking it here keeps both stores accepting the same input. */
export const MAX_TEXT_BYTES = 65_535;

/** Validates every line of a batch on its own, then the ids against each other (duplicates). */
export function validateBatch(
  dataset: Dataset,
  lines: readonly NdjsonLine[],
  limits: ValidationLimits,
): { records: ValidRecord[]; errors: ImportLineError[] } {
  const def = DATASETS[dataset];
  const records: ValidRecord[] = [];
  const errors: ImportLineError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, value } of lines) {
    const r = validateRecord(def, value, line, limits);
    for (const e of r.errors) errors.push(e);
    // Duplicates are found among all lines that have a usable id, valid or not, so both lines are named.
    const id = r.record?.id ?? idOf(value);
    if (id !== undefined) {
      const first = firstLineOf.get(id);
      if (first !== undefined) {
        errors.push({ line, field: 'id', message: `id ${show(id)} is already used on line ${first} of this batch` });
        continue;
      }
      firstLineOf.set(id, line);
    }
    if (r.record) records.push(r.record);
  }
  return { records, errors };
}

/** Validates one parsed line against its dataset and returns its stored form when valid. */
export function validateRecord(
  def: DatasetDef,
  value: unknown,
  line: number,
  limits: ValidationLimits,
): { record?: ValidRecord; errors: ImportLineError[] } {
  const errors: ImportLineError[] = [];
  const fail = (field: string | null, message: string) => errors.push({ line, field, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(null, `each line must be a JSON object with the fields of ${def.name}; got ${kindOf(value)}`);
    return { errors };
  }
  const obj = value as Record<string, unknown>;
  const known = fieldIndex(def.name);
  for (const key of Object.keys(obj)) {
    if (known.has(key) || STAMP_FIELDS.has(key)) continue;
    const guess = closest(key, [...known.keys()]);
    fail(
      key,
      `unknown field ${show(key)} in ${def.name}` +
        (guess ? ` (did you mean "${guess}"?)` : ` (fields: ${[...known.keys()].join(', ')})`),
    );
  }
  const cells: Cell[] = def.fields.map((fd) => {
    const r = toCell(fd, obj[fd.name], limits);
    if (typeof r === 'object' && r !== null && 'error' in r) {
      fail(fd.name, r.error);
      return null;
    }
    return r as Cell;
  });
  if (errors.length) return { errors };

  const at = (name: string) => cells[known.get(name)!];
  crossFieldRules(def.name, at, cells, fail);
  if (errors.length) return { errors };
  return { record: { line, id: String(cells[0]), cells }, errors };
}

/** Rules between fields of one record (domain.md). */
function crossFieldRules(
  dataset: Dataset,
  at: (name: string) => Cell,
  cells: Cell[],
  fail: (field: string, message: string) => void,
): void {
  if (dataset === 'pairings') {
    const started = at('startedOn') as string;
    const ended = at('endedOn') as string | null;
    // Same fixed-width YYYY-MM-DD form, so text order is date order.
    if (ended !== null && ended < started) fail('endedOn', `endedOn ${ended} is before startedOn ${started}`);
  }
  if (dataset === 'visits') {
    const k = fieldIndex('visits').get('stayDays')!;
    if (at('kind') === 'VILLAGE_STAY') {
      if (cells[k] === null) cells[k] = 1;
    } else if (cells[k] !== null) {
      fail('stayDays', `stayDays is only for kind VILLAGE_STAY; this visit is ${at('kind')}`);
    }
  }
  if (dataset === 'survey_responses') {
    if (at('resolved') !== null && at('issueId') === null) {
      fail('resolved', 'resolved is only for callbacks on an issue: set issueId or leave resolved out');
    }
  }
}

type CellResult = Cell | { error: string };

/** Converts one JSON value to its stored cell, or says what is wrong with it. */
function toCell(fd: FieldDef, v: unknown, limits: ValidationLimits): CellResult {
  const name = fd.name;
  if (v === undefined || v === null) {
    return fd.required ? { error: `${name} is required` } : null;
  }
  switch (fd.kind) {
    case 'id':
    case 'ref':
    case 'string':
    case 'text': {
      if (typeof v !== 'string') return { error: `${name} must be a string; got ${kindOf(v)}` };
      if (v.length === 0 && (fd.kind === 'id' || fd.kind === 'ref' || fd.required)) return { error: `${name} must not be empty` };
      const max = fd.kind === 'text' ? limits.maxFieldChars : fd.maxLength;
      if (max !== undefined && v.length > max) {
        // Lengths are characters (code points), as MySQL counts them; UTF-16 length is only an upper bound.
        const chars = codePoints(v);
        if (chars > max) return { error: `${name} is too long: at most ${max} characters allowed, got ${chars}` };
      }
      if (fd.kind === 'text' && v.length > MAX_TEXT_BYTES / 3 && Buffer.byteLength(v, 'utf8') > MAX_TEXT_BYTES) {
        return { error: `${name} is too long: at most ${MAX_TEXT_BYTES} bytes of UTF-8 allowed, got ${Buffer.byteLength(v, 'utf8')}` };
      }
      if (name === 'code' && fd.kind === 'string' && !/^\d{12}$/.test(v)) {
        return { error: `code must be a 12-digit administrative division code; got ${show(v)}` };
      }
      return v;
    }
    case 'enum': {
      if (typeof v !== 'string' || !fd.values!.includes(v)) {
        return { error: `${name} must be one of ${fd.values!.join(', ')}; got ${show(v)}` };
      }
      return v;
    }
    case 'enumList': {
      if (!Array.isArray(v)) return { error: `${name} must be an array of ${fd.values!.join(', ')}; got ${kindOf(v)}` };
      const bad = v.filter((x) => typeof x !== 'string' || !fd.values!.includes(x));
      if (bad.length) return { error: `${name} may only contain ${fd.values!.join(', ')}; got ${show(bad[0])}` };
      // Sorted and de-duplicated, so the same set always has the same stored form; empty is null.
      const set = [...new Set(v as string[])].sort();
      return set.length ? set.join(',') : null;
    }
    case 'instant': {
      if (typeof v !== 'string') return { error: `${name} must be an ISO-8601 string such as 2025-03-15T09:30:00+08:00; got ${kindOf(v)}` };
      const ms = parseInstant(v);
      if (ms === 'no-offset') {
        return { error: `${name} ${show(v)} has no offset: add Z or one like +08:00 (a bare local time is ambiguous)` };
      }
      if (ms === null) return { error: `${name} must be an ISO-8601 instant with an offset, such as 2025-03-15T09:30:00+08:00; got ${show(v)}` };
      return ms;
    }
    case 'date': {
      if (typeof v !== 'string' || !isRealDate(v)) return { error: `${name} must be a real date as YYYY-MM-DD; got ${show(v)}` };
      return v;
    }
    case 'int': {
      const range = `a whole number from ${fd.min} to ${fd.max}`;
      if (typeof v !== 'number' || !Number.isInteger(v)) return { error: `${name} must be ${range}; got ${show(v)}` };
      if ((fd.min !== undefined && v < fd.min) || (fd.max !== undefined && v > fd.max)) {
        return { error: `${name} must be ${range}; got ${v}` };
      }
      return v;
    }
    case 'bool': {
      if (typeof v !== 'boolean') return { error: `${name} must be true or false; got ${show(v)}` };
      return v ? 1 : 0;
    }
  }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch ms of an ISO-8601 instant with an offset; 'no-offset' for a bare local time (which
 * would depend on the importing machine's zone); null when it is not an instant at all.
 * Calendar fields must be real (no 2025-02-30, no 24:00); digits beyond milliseconds are dropped.
 */
export function parseInstant(s: string): number | 'no-offset' | null {
  const m = INSTANT.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '', off] = m;
  if (!isRealDay(+y, +mo, +d) || +h > 23 || +mi > 59 || +sec > 59) return null;
  if (off === undefined) return 'no-offset';
  let offsetMin = 0;
  if (off !== 'Z') {
    const digits = off.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2) : 0;
    if (oh > 18 || om > 59) return null;
    offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = +(frac + '00').slice(0, 3);
  let utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms);
  if (+y < 100) {
    // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
    const t = new Date(utc);
    t.setUTCFullYear(+y);
    utc = t.getTime();
  }
  return utc - offsetMin * 60_000;
}

/** True for YYYY-MM-DD naming a day that exists. */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isRealDay(+m[1], +m[2], +m[3]);
}

function isRealDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return d <= days;
}

/** The references of valid records, by target dataset: id → the first place that names it. */
export function collectReferences(dataset: Dataset, records: readonly ValidRecord[]): Map<Dataset, Set<string>> {
  const out = new Map<Dataset, Set<string>>();
  DATASETS[dataset].fields.forEach((fd, k) => {
    if (fd.kind !== 'ref') return;
    const ids = out.get(fd.ref!) ?? new Set<string>();
    for (const r of records) if (r.cells[k] !== null) ids.add(r.cells[k] as string);
    out.set(fd.ref!, ids);
  });
  return out;
}

/**
 * Errors for references to ids that neither exist (per `exists`) nor are defined in the batch
 * itself (only regions can refer to their own dataset, and then in any order).
 */
export function unknownReferenceErrors(
  dataset: Dataset,
  records: readonly ValidRecord[],
  exists: (target: Dataset, id: string) => boolean,
): ImportLineError[] {
  const inBatch = new Set(records.map((r) => r.id));
  const errors: ImportLineError[] = [];
  const refs = DATASETS[dataset].fields.map((fd, k) => ({ fd, k })).filter(({ fd }) => fd.kind === 'ref');
  for (const r of records) {
    for (const { fd, k } of refs) {
      const id = r.cells[k];
      if (id === null) continue;
      if (fd.ref === dataset && inBatch.has(id as string)) continue;
      if (!exists(fd.ref!, id as string)) {
        errors.push({ line: r.line, field: fd.name, message: `${fd.name} ${show(id)}: no such record in ${fd.ref}` });
      }
    }
  }
  return errors;
}

/** A stored region, as far as the tree rules need it. */
export interface TreeRegion {
  id: string;
  parentId: string | null;
  level: RegionLevel;
}

/**
 * The region tree rules for a batch of regions over the stored ones: every child's level is
 * strictly deeper than its parent's (both for the batch's own parents and for stored children
 * of regions whose level changes), and the parent links form no cycle, including cycles closed
 * through stored rows by a re-parenting update. Unknown parents are left to the reference check.
 */
export function regionTreeErrors(records: readonly ValidRecord[], stored: ReadonlyMap<string, TreeRegion>): ImportLineError[] {
  const idx = fieldIndex('regions');
  const [pk, lk] = [idx.get('parentId')!, idx.get('level')!];
  const merged = new Map(stored);
  const lineOf = new Map<string, number>();
  for (const r of records) {
    merged.set(r.id, { id: r.id, parentId: r.cells[pk] as string | null, level: r.cells[lk] as RegionLevel });
    lineOf.set(r.id, r.line);
  }
  const errors: ImportLineError[] = [];

  // Cycles: stored rows form a tree, so any cycle passes through a batch row; walk up from each.
  const inCycle = new Set<string>();
  for (const r of records) {
    if (inCycle.has(r.id)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    for (let cur: TreeRegion | undefined = merged.get(r.id); cur; cur = cur.parentId ? merged.get(cur.parentId) : undefined) {
      if (onPath.has(cur.id)) {
        const cycle = path.slice(onPath.get(cur.id)!);
        if (cycle.some((id) => inCycle.has(id))) break;
        cycle.forEach((id) => inCycle.add(id));
        const lines = cycle.filter((id) => lineOf.has(id)).map((id) => lineOf.get(id)!);
        const first = Math.min(...lines);
        const start = cycle.findIndex((id) => lineOf.get(id) === first);
        const ring = [...cycle.slice(start), ...cycle.slice(0, start)];
        errors.push({
          line: first,
          field: 'parentId',
          message: `regions form a cycle: ${[...ring, ring[0]].map(show).join(' → ')} (each is the parent of the one before)` +
            (lines.length > 1 ? `; see also line${lines.length > 2 ? 's' : ''} ${lines.filter((l) => l !== first).sort((a, b) => a - b).join(', ')}` : ''),
        });
        break;
      }
      onPath.set(cur.id, path.length);
      path.push(cur.id);
    }
  }

  const children = new Map<string, TreeRegion[]>();
  for (const reg of merged.values()) {
    if (!reg.parentId) continue;
    const list = children.get(reg.parentId);
    if (list) list.push(reg);
    else children.set(reg.parentId, [reg]);
  }
  const deeper = (child: RegionLevel, parent: RegionLevel) => REGION_LEVEL_DEPTH[child] > REGION_LEVEL_DEPTH[parent];
  for (const r of records) {
    const me = merged.get(r.id)!;
    const parent = me.parentId ? merged.get(me.parentId) : undefined;
    if (parent && !inCycle.has(me.id) && !deeper(me.level, parent.level)) {
      errors.push({
        line: r.line,
        field: 'level',
        message: `level ${me.level} must be below its parent ${show(parent.id)}'s level ${parent.level} (COUNTY > TOWNSHIP > VILLAGE > GROUP)`,
      });
    }
    for (const child of children.get(me.id) ?? []) {
      // Batch children are checked on their own lines above.
      if (lineOf.has(child.id) || inCycle.has(child.id)) continue;
      if (!deeper(child.level, me.level)) {
        errors.push({
          line: r.line,
          field: 'level',
          message: `level ${me.level} must be above the level of its stored child ${show(child.id)} (${child.level})`,
        });
      }
    }
  }
  return errors;
}

/** Orders records so that a region comes after its parent when both are in the batch (FKs check row by row on MySQL). */
export function parentsFirst(records: readonly ValidRecord[]): ValidRecord[] {
  const pk = fieldIndex('regions').get('parentId')!;
  const byId = new Map(records.map((r) => [r.id, r]));
  const out: ValidRecord[] = [];
  const placed = new Set<string>();
  const place = (r: ValidRecord, depth: number) => {
    if (placed.has(r.id) || depth > records.length) return;
    const parent = r.cells[pk] === null ? undefined : byId.get(r.cells[pk] as string);
    if (parent && parent !== r) place(parent, depth + 1);
    if (!placed.has(r.id)) {
      placed.add(r.id);
      out.push(r);
    }
  };
  for (const r of records) place(r, 0);
  return out;
}

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
  }
  return n;
}

/** A JSON value for a message, short: an echo of a 10 MB string would be its own problem. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${show(v)}`;
}

/** The known name nearest to a typo, if it is near enough to be a likely meaning. */
function closest(key: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = distance(key.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}

/** Edit distance counting a swap of neighbours as one edit (the commonest typo: "nmae"). */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
