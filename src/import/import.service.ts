import { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { DATASETS, Dataset, DatasetDef, FieldKind, isDataset } from '../domain/datasets';
import { IssueEventType, RegionLevel, ResidentAnswer } from '../domain/enums';
import { dialectOf } from '../database/dialect';
import { takeWriteStamp } from '../database/write-clock';
import { AddedInputs, refreshIssueStates } from '../modules/issues/issue-state.store';
import { rebuildRegionClosure } from '../modules/regions/region-closure';
import { NdjsonLine, ParsedNdjson, parseNdjson } from './ndjson';
import { Cell, collectReferences, ImportLineError, parentsFirst, regionTreeErrors, TreeRegion, unknownReferenceErrors, validateBatch, ValidRecord } from './validate';
import { fieldIndex } from '../domain/datasets';
import { Calendar } from '../analytics/calendar';
import { BatchFacts, Rollups } from '../analytics/rollups';

export type { ImportLineError } from './validate';

/** What one accepted batch did. `received` counts non-blank lines. */
export interface ImportResult {
  dataset: Dataset;
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportOptions {
  /** Wall clock for the write stamp (tests pin it); the stamp never goes below the previous one. */
  now?: number;
}

/** At most this many errors are reported per batch; `ImportRejected.totalErrors` says how many there were. */
export const MAX_REPORTED_ERRORS = 100;

/** A batch refused as a whole: nothing was written. `errors` is the first MAX_REPORTED_ERRORS by line. */
export class ImportRejected extends Error {
  readonly totalErrors: number;

  constructor(
    readonly dataset: Dataset,
    readonly errors: ImportLineError[],
    totalErrors?: number,
  ) {
    const total = totalErrors ?? errors.length;
    const first = errors[0];
    super(
      `${dataset}: ${total} error${total === 1 ? '' : 's'}, nothing written` +
        (first ? `; line ${first.line}${first.field ? ` (${first.field})` : ''}: ${first.message}` : ''),
    );
    this.name = 'ImportRejected';
    this.totalErrors = total;
  }
}

const IN_CHUNK = 1000;
/** Below SQLite's 32,766 bound variables and far below MySQL's 65,535 placeholders. */
const MAX_PLACEHOLDERS = 30_000;
const MAX_ROWS_PER_INSERT = 1000;
/** Keeps one INSERT well inside MariaDB's default 16 MB max_allowed_packet, whatever the text sizes. */
const MAX_INSERT_BYTES = 4 * 1024 * 1024;

/** Validates NDJSON batches against domain.md and upserts them by id, all-or-nothing. */
export class ImportService {
  private readonly rollups: Rollups;

  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    /** The process's rollups (createServices); the import keeps every built one exact in its transaction. */
    rollups?: Rollups,
  ) {
    this.rollups = rollups ?? new Rollups(ds, new Calendar(config.festivals), config);
  }

  /** Validates then upserts one batch, all-or-nothing. records[i] is line i+1. Throws ImportRejected. */
  importRecords(dataset: Dataset, records: unknown[], opts: ImportOptions = {}): Promise<ImportResult> {
    return this.importParsed(dataset, { lines: records.map((value, i) => ({ line: i + 1, value })), errors: [] }, opts);
  }

  /** Parses NDJSON (blank lines ignored but counted for line numbers) then importRecords. */
  importNdjson(dataset: Dataset, body: string | Buffer, opts: ImportOptions = {}): Promise<ImportResult> {
    return this.importParsed(dataset, parseNdjson(body), opts);
  }

  /** Validates and writes lines parsed elsewhere (the CLI streams files into this); lines that failed to parse reject the batch. */
  async importParsed(dataset: Dataset, parsed: ParsedNdjson, opts: ImportOptions = {}): Promise<ImportResult> {
    if (!isDataset(dataset)) throw new Error(`unknown dataset "${String(dataset)}"`);
    const records = await this.validate(dataset, parsed.lines, parsed.errors);
    const received = parsed.lines.length;
    if (records.length === 0) return { dataset, received, inserted: 0, updated: 0, unchanged: 0 };
    try {
      return await this.ds.transaction((m) => this.write(m, dataset, records, received, opts.now ?? Date.now()));
    } catch (err) {
      const violation = constraintViolation(err);
      if (!violation) throw err;
      // The references were checked before the transaction; one vanished meanwhile. Name the lines if we can.
      const again = await this.findReferenceErrors(dataset, records);
      throw rejected(dataset, again.length ? again : [{ line: 0, field: null, message: violation }]);
    }
  }

  /** Every check that needs no write: the records' own rules, duplicates, references, the region tree. */
  private async validate(dataset: Dataset, lines: readonly NdjsonLine[], parseErrors: ImportLineError[]): Promise<ValidRecord[]> {
    const { records, errors: own } = validateBatch(dataset, lines, this.config.limits);
    // concat, not push(...): a batch of bad lines can hold more errors than a call takes arguments.
    let errors = own.concat(parseErrors);
    if (records.length) {
      errors = errors.concat(await this.findReferenceErrors(dataset, records));
      if (dataset === 'regions') errors = errors.concat(regionTreeErrors(records, await this.loadRegionTree()));
    }
    if (errors.length) throw rejected(dataset, errors);
    return records;
  }

  /** References to ids that are neither stored nor (for regions) in the batch. Overridable so a test can skip it and provoke the FK. */
  protected async findReferenceErrors(dataset: Dataset, records: readonly ValidRecord[]): Promise<ImportLineError[]> {
    const inBatch = new Set(records.map((r) => r.id));
    const found = new Map<Dataset, Set<string>>();
    for (const [target, ids] of collectReferences(dataset, records)) {
      const wanted = [...ids].filter((id) => !(target === dataset && inBatch.has(id)));
      found.set(target, await this.existingIds(this.ds.manager, DATASETS[target].table, wanted));
    }
    return unknownReferenceErrors(dataset, records, (target, id) => found.get(target)?.has(id) ?? false);
  }

  private async existingIds(m: EntityManager, table: string, ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const part = ids.slice(i, i + IN_CHUNK);
      const rows: Array<{ id: string }> = await m.query(`SELECT id FROM ${table} WHERE id IN (${marks(part.length)})`, part);
      for (const r of rows) out.add(r.id);
    }
    return out;
  }

  private async loadRegionTree(): Promise<Map<string, TreeRegion>> {
    const rows: Array<{ id: string; parent_id: string | null; level: RegionLevel }> = await this.ds.query(
      'SELECT id, parent_id, level FROM regions',
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, parentId: r.parent_id, level: r.level }]));
  }

  /** The write: one stamp, compare with the stored rows, insert new, update changed, then derived data. */
  private async write(m: EntityManager, dataset: Dataset, records: ValidRecord[], received: number, wallClock: number): Promise<ImportResult> {
    const stamp = await takeWriteStamp(m, wallClock);
    const def = DATASETS[dataset];
    const stored = await loadStoredCells(m, def, records.map((r) => r.id));
    const collisions = collationCollisions(records, stored);
    if (collisions.length) throw rejected(dataset, collisions);
    let inserts: ValidRecord[] = [];
    const updates: Array<{ record: ValidRecord; before: Cell[] }> = [];
    let unchanged = 0;
    for (const r of records) {
      const before = stored.get(r.id);
      if (!before) inserts.push(r);
      else if (r.cells.every((c, k) => c === before[k])) unchanged++;
      else updates.push({ record: r, before });
    }
    if (dataset === 'regions') inserts = parentsFirst(inserts);
    // The rollups commit with the batch, so they never disagree with the raw rows: what the
    // records it changes contribute now goes out first, what they contribute once written comes in last.
    let rollups = null;
    if (inserts.length || updates.length) {
      const facts = batchFacts(dataset, inserts, updates);
      // An issues batch may make later issues of the same households repeats (asked only when an issue rollup is built).
      const later = dataset === 'issues' ? () => laterRepeats(m, [...inserts.map((r) => r.cells), ...updates.flatMap((u) => [u.record.cells, u.before])], this.config.repeatWindowDays * 86_400_000) : undefined;
      rollups = await this.rollups.batch(m, dataset, facts, later);
    }
    await rollups?.before();
    await insertRows(m, def, inserts, stamp);
    await updateRows(m, def, updates.map((u) => u.record), stamp);

    if (dataset === 'regions') {
      if (movedRegions(updates).length) {
        // A moved (or re-levelled) region changes its subtree's chains.
        await rebuildRegionClosure(m);
      } else if (inserts.length) {
        await rebuildRegionClosure(m, inserts.map((r) => r.id));
      }
    }
    const { rederive, added } = touchedIssues(dataset, inserts, updates);
    if (rederive.size || added.size) await refreshIssueStates(m, rederive, stamp, added);
    await rollups?.after();
    return { dataset, received, inserted: inserts.length, updated: updates.length, unchanged };
  }
}

/**
 * The stored issues whose REPEAT_RATE status an issue with these cells (old or new) may decide:
 * the same household and category, received from its instant to the window after it.
 */
async function laterRepeats(m: EntityManager, cells: Cell[][], windowMs: number): Promise<string[]> {
  const k = fieldIndex('issues');
  const [hh, cat, at] = ['householdId', 'category', 'receivedAt'].map((f) => k.get(f)!);
  const keys = cells.filter((c) => c[hh] !== null).map((c) => [c[hh], c[cat], c[at], Number(c[at]) + windowMs]);
  const out = new Set<string>();
  const d = dialectOf(m);
  for (let i = 0; i < keys.length; i += IN_CHUNK) {
    const part = keys.slice(i, i + IN_CHUNK);
    const rows: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT o.id FROM (${d.rowsTable(['hh', 'cat', 'lo', 'hi'], part.map(() => ['?', '?', '?', '?']))}) k
         JOIN issues o ON o.household_id = k.hh AND o.category = k.cat AND o.received_at >= k.lo AND o.received_at <= k.hi`,
      part.flat(),
    );
    for (const r of rows) out.add(String(r.id));
  }
  return [...out];
}

/** Regions a batch moves to another parent or level (their subtrees' facts change ancestors). */
function movedRegions(updates: Array<{ record: ValidRecord; before: Cell[] }>): string[] {
  const tree = ['parentId', 'level'].map((f) => fieldIndex('regions').get(f)!);
  return updates.filter((u) => tree.some((k) => u.record.cells[k] !== u.before[k])).map((u) => u.record.id);
}

/** What a batch writes, as the rollups see it (rollups.ts BatchFacts). */
function batchFacts(dataset: Dataset, inserts: ValidRecord[], updates: Array<{ record: ValidRecord; before: Cell[] }>): BatchFacts {
  // Every record the batch writes, as written and (updates) as stored before.
  const written = [...inserts.map((r) => r.cells), ...updates.flatMap((u) => [u.record.cells, u.before])];
  const issues = new Set<string>();
  if (dataset === 'issue_events' || dataset === 'survey_responses') {
    const k = fieldIndex(dataset).get('issueId')!;
    for (const cells of written) if (cells[k] !== null) issues.add(String(cells[k]));
  }
  const visits = new Set<string>();
  if (dataset === 'issues') {
    const k = fieldIndex('issues').get('visitId')!;
    for (const cells of written) if (cells[k] !== null) visits.add(String(cells[k]));
  }
  // The households whose chain of visits a visits batch changes (named now or before), from the
  // earliest instant it writes or moves a visit; or whose region a households batch may change (every fact).
  const households = new Set<string>(dataset === 'households' ? updates.map((u) => u.record.id) : []);
  let householdsFrom: number | null = null;
  if (dataset === 'visits') {
    const [k, at] = ['householdId', 'visitedAt'].map((f) => fieldIndex('visits').get(f)!);
    for (const cells of written) {
      if (cells[k] === null) continue;
      households.add(String(cells[k]));
      householdsFrom = Math.min(householdsFrom ?? Infinity, Number(cells[at]));
    }
  }
  // A pairings batch changes its households' paired spells (the households named now or before).
  if (dataset === 'pairings') {
    const k = fieldIndex('pairings').get('householdId')!;
    for (const cells of written) households.add(String(cells[k]));
  }
  return {
    updated: updates.map((u) => u.record.id),
    inserted: inserts.map((r) => r.id),
    issues: [...issues],
    visits: [...visits],
    households: [...households],
    householdsFrom,
    movedRegions: dataset === 'regions' ? movedRegions(updates) : [],
  };
}

/**
 * Issues whose derived state may have changed. `rederive`: a changed issue, and the issues a
 * changed event or response points at now and pointed at before. `added`: the new events and
 * responses of other issues, from which their stored state can often be carried forward
 * (refreshIssueStates). New issues have no events or responses yet (FKs), so their column
 * defaults already are the derived state.
 */
function touchedIssues(
  dataset: Dataset,
  inserts: ValidRecord[],
  updates: Array<{ record: ValidRecord; before: Cell[] }>,
): { rederive: Set<string>; added: Map<string, AddedInputs> } {
  const rederive = new Set<string>();
  const added = new Map<string, AddedInputs>();
  if (dataset === 'issues') for (const u of updates) rederive.add(u.record.id);
  if (dataset !== 'issue_events' && dataset !== 'survey_responses') return { rederive, added };
  const k = fieldIndex(dataset);
  const issueOf = (cells: Cell[]) => cells[k.get('issueId')!] as string | null;
  for (const u of updates) {
    for (const id of [issueOf(u.record.cells), issueOf(u.before)]) if (id !== null) rederive.add(id);
  }
  for (const r of inserts) {
    const id = issueOf(r.cells);
    if (id === null || rederive.has(id)) continue;
    let inputs = added.get(id);
    if (!inputs) added.set(id, (inputs = { events: [], surveys: [] }));
    const cell = (name: string) => r.cells[k.get(name)!];
    if (dataset === 'issue_events') {
      inputs.events.push({ id: r.id, at: cell('at') as number, type: cell('type') as IssueEventType, departmentId: cell('departmentId') as string | null });
    } else {
      inputs.surveys.push({
        id: r.id,
        respondedAt: cell('respondedAt') as number,
        score: cell('score') as number,
        resolved: cell('resolved') as ResidentAnswer | null,
        contacted: cell('contacted') === null ? null : cell('contacted') === 1,
      });
    }
  }
  return { rederive, added };
}

/**
 * MySQL/MariaDB compare ids by collation (letter case, accents, trailing spaces), so a lookup
 * can return a stored row under another spelling; writing the new spelling would hit the key.
 */
function collationCollisions(records: readonly ValidRecord[], stored: ReadonlyMap<string, Cell[]>): ImportLineError[] {
  const errors: ImportLineError[] = [];
  const inBatch = new Set(records.map((r) => r.id));
  const others = [...stored.keys()].filter((id) => !inBatch.has(id));
  if (!others.length) return errors;
  for (const r of records) {
    if (stored.has(r.id)) continue;
    const twin = others.find((id) => id.trimEnd().localeCompare(r.id.trimEnd(), undefined, { sensitivity: 'base' }) === 0);
    if (twin !== undefined) {
      errors.push({
        line: r.line,
        field: 'id',
        message: `id ${JSON.stringify(r.id)} is the same as the stored id ${JSON.stringify(twin)} for this database (it ignores trailing spaces in ids); use the stored spelling`,
      });
    }
  }
  return errors;
}

const NUMERIC: ReadonlySet<FieldKind> = new Set<FieldKind>(['instant', 'int', 'bool']);

/** The stored rows of the given ids as cells, normalised so they compare with `===` to validated ones. */
async function loadStoredCells(m: EntityManager, def: DatasetDef, ids: string[]): Promise<Map<string, Cell[]>> {
  const out = new Map<string, Cell[]>();
  const columns = def.fields.map((f) => f.column);
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const part = ids.slice(i, i + IN_CHUNK);
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT ${columns.join(', ')} FROM ${def.table} WHERE id IN (${marks(part.length)})`,
      part,
    );
    for (const row of rows) {
      // Drivers may return BIGINT as a string; text always comes back as text.
      const cells = def.fields.map((f) => {
        const v = row[f.column];
        if (v === null || v === undefined) return null;
        return NUMERIC.has(f.kind) ? Number(v) : String(v);
      });
      out.set(String(row.id), cells);
    }
  }
  return out;
}

/** Multi-row INSERTs, chunked by row count, placeholders and bytes. */
async function insertRows(m: EntityManager, def: DatasetDef, records: ValidRecord[], stamp: number): Promise<void> {
  if (!records.length) return;
  const columns = [...def.fields.map((f) => f.column), 'created_at', 'updated_at'];
  const tuple = `(${marks(columns.length)})`;
  const maxRows = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PLACEHOLDERS / columns.length));
  let i = 0;
  while (i < records.length) {
    const params: Cell[] = [];
    let rows = 0;
    let bytes = 0;
    while (i < records.length && rows < maxRows) {
      const size = estimateBytes(records[i].cells);
      if (rows > 0 && bytes + size > MAX_INSERT_BYTES) break;
      params.push(...records[i].cells, stamp, stamp);
      bytes += size;
      rows++;
      i++;
    }
    await m.query(`INSERT INTO ${def.table} (${columns.join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')}`, params);
  }
}

/** One UPDATE per changed row: created_at stays, updated_at takes the stamp. */
async function updateRows(m: EntityManager, def: DatasetDef, records: ValidRecord[], stamp: number): Promise<void> {
  const settable = def.fields.slice(1);
  const sql = `UPDATE ${def.table} SET ${settable.map((f) => `${f.column} = ?`).join(', ')}, updated_at = ? WHERE id = ?`;
  for (const r of records) await m.query(sql, [...r.cells.slice(1), stamp, r.id]);
}

function estimateBytes(cells: Cell[]): number {
  let n = 0;
  // Worst case 4 bytes a UTF-16 unit after escaping; numbers are short.
  for (const c of cells) n += typeof c === 'string' ? c.length * 4 + 4 : 24;
  return n;
}

const marks = (n: number) => Array(n).fill('?').join(', ');

/** Sorts by line, keeps the first MAX_REPORTED_ERRORS and remembers how many there were. */
function rejected(dataset: Dataset, errors: ImportLineError[]): ImportRejected {
  const sorted = errors.map((e, k) => ({ e, k })).sort((a, b) => a.e.line - b.e.line || a.k - b.k).map((x) => x.e);
  return new ImportRejected(dataset, sorted.slice(0, MAX_REPORTED_ERRORS), sorted.length);
}

/**
 * A clear message for a constraint the database refused although validation passed (a row
 * changed by someone else between the checks and the write), or null for any other error.
 */
function constraintViolation(err: unknown): string | null {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e.driverError?.code ?? e.code ?? '';
  const errno = e.driverError?.errno ?? e.errno;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || errno === 1452 || errno === 1451 || errno === 1216 || errno === 1217) {
    return 'the database refused the batch: a record it refers to was removed or changed while it was being written; nothing was written, try again';
  }
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || errno === 1062) {
    return 'the database refused the batch: two of its ids are one record to it (MySQL/MariaDB treat ids that differ only in trailing spaces as equal); nothing was written';
  }
  return null;
}
