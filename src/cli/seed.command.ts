import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { DataSource } from 'typeorm';
import { demoBatches } from '../../seeds/demo-batches';
import { DEMO_COUNTY_ID, DEMO_TO, demoEndForToday, demoRange, DemoCounty, DemoRecord, generateDemoCounty, inBatches, MAX_SCALE } from '../../seeds/demo-county';
import type { Config } from '../config';
import { createDataSource } from '../data-source';
import { readSetting, recordSettingOnce } from '../database/settings';
import { DATASET_NAMES, Dataset } from '../domain/datasets';
import { badInput, UserError } from '../domain/errors';
import { ImportRejected, ImportService } from '../import/import.service';

/** What seeding did to one dataset. */
export interface SeedSummary {
  dataset: Dataset;
  records: number;
  seconds: number;
  inserted?: number;
  updated?: number;
  unchanged?: number;
}

export interface SeedOptions {
  scale?: number;
  /**
   * The demo's last day (YYYY-MM-DD). Into a database: default the date recorded there, else
   * DEMO_TO (tests and the benchmark); a date other than the recorded one is refused. Files:
   * default DEMO_TO.
   */
  end?: string;
  /** Records per import call (one all-or-nothing transaction each). */
  batchSize?: number;
  /** Called with each dataset's summary line as soon as the dataset is done. */
  say?: (line: string) => void;
  /** Show a progress bar (only ever on a terminal). */
  progress?: boolean;
  /** Import batches in flight (default 2; 1 = one after the other). */
  inFlight?: number;
  /** Where the records are generated: a compiled worker script, or null for this thread (default: demoBatches' choice). */
  worker?: string | null;
  /** Only the records meeting this are imported (the benchmark seeds all but the last weeks, then imports those as an update). */
  filter?: (dataset: Dataset, record: DemoRecord) => boolean;
}

export const DEFAULT_BATCH_SIZE = 5000;
/** Import batches in flight while seeding (see seedDatabase). */
const PIPELINE_DEPTH = 2;

/**
 * The demo's last day for a database: the date recorded with its demo, or (none recorded) the
 * old fixed DEMO_TO when the demo is there already (seeded before dates were recorded), or the
 * day before `now` for a database about to get its first demo.
 */
export async function demoEndFor(ds: DataSource, now: number = Date.now()): Promise<string> {
  const recorded = await readSetting(ds, 'demo_end_date');
  if (recorded !== null) return recorded;
  const [root] = await ds.query('SELECT COUNT(*) AS n FROM regions WHERE id = ?', [DEMO_COUNTY_ID]);
  return Number(root.n) > 0 ? DEMO_TO : demoEndForToday(now);
}

/**
 * Records the demo's end date with the data before anything is imported, so a seed stopped
 * midway resumes with the same dates; a different date than the one recorded is refused
 * (re-seeding with it would mix two counties). Returns the date that holds.
 */
async function recordDemoEnd(ds: DataSource, end: string | undefined): Promise<string> {
  const recorded = await readSetting(ds, 'demo_end_date');
  if (end !== undefined) demoRange(end); // a RangeError names a bad date before anything is written
  if (recorded !== null && end !== undefined && end !== recorded) {
    throw badInput(`this database holds the demo county ending ${recorded}; seeding it with --end ${end} would mix two counties (use another database)`);
  }
  return recordSettingOnce(ds, 'demo_end_date', recorded ?? end ?? DEMO_TO);
}

/** Imports the demo county into a migrated database through ImportService, dataset by dataset. */
export async function seedDatabase(ds: DataSource, config: Readonly<Config>, options: SeedOptions = {}): Promise<SeedSummary[]> {
  const end = await recordDemoEnd(ds, options.end);
  const county = generateDemoCounty({ scale: options.scale ?? 1, end });
  const importer = new ImportService(ds, config);
  const out: SeedSummary[] = [];
  for (const dataset of DATASET_NAMES) {
    const started = process.hrtime.bigint();
    const bar = startBar(county, dataset, options.progress);
    let [records, inserted, updated, unchanged] = [0, 0, 0, 0];
    // Two batches in flight: the next one is validated (JavaScript, and reads on another
    // connection) while the database writes this one; the writes themselves still run one at a
    // time (the write clock). The records are generated on a worker thread (demoBatches).
    // Regions stay one at a time: a batch's parents may be in the batch before it, which must be
    // committed before the next is validated.
    const depth = dataset === 'regions' ? 1 : Math.max(1, options.inFlight ?? PIPELINE_DEPTH);
    const inFlight: Array<Promise<void>> = [];
    let offset = 0;
    try {
      const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
      const generated = demoBatches(dataset, { scale: county.scale, end, batchSize: size, worker: options.worker });
      const filter = options.filter;
      const batches = filter ? refilled(generated, (r) => filter(dataset, r), size) : generated;
      for await (const batch of batches) {
        const first = offset;
        offset += batch.length;
        const done = importer.importRecords(dataset, batch).then(
          (r) => {
            records += r.received;
            inserted += r.inserted;
            updated += r.updated;
            unchanged += r.unchanged;
            bar?.update(records);
          },
          (err: unknown) => {
            // Line numbers count from the batch; make them the record's position in the dataset's stream.
            if (!(err instanceof ImportRejected)) throw err;
            throw new ImportRejected(dataset, err.errors.map((e) => ({ ...e, line: e.line + first })), err.totalErrors);
          },
        );
        done.catch(() => undefined); // awaited below; this only keeps a failure while waiting for the other batch from being "unhandled"
        inFlight.push(done);
        if (inFlight.length >= depth) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } finally {
      // On a failure, let the other batch finish (or fail) before reporting: nothing left running.
      await Promise.allSettled(inFlight);
    }
    bar?.stop();
    const sum: SeedSummary = { dataset, records, seconds: elapsed(started), inserted, updated, unchanged };
    options.say?.(summaryLine(sum));
    out.push(sum);
  }
  return out;
}

/** The records of `batches` meeting `keep`, in batches of `size` again. */
async function* refilled(batches: AsyncIterable<DemoRecord[]>, keep: (r: DemoRecord) => boolean, size: number): AsyncGenerator<DemoRecord[]> {
  let buffer: DemoRecord[] = [];
  for await (const batch of batches) {
    for (const r of batch) if (keep(r)) buffer.push(r);
    if (buffer.length >= size) {
      yield buffer.slice(0, size);
      buffer = buffer.slice(size);
    }
  }
  if (buffer.length) yield buffer;
}

/** Writes the demo county as `<dataset>.ndjson` files in `dir`, streamed (×100 never sits in memory). */
export async function writeDemoFiles(dir: string, options: SeedOptions = {}): Promise<SeedSummary[]> {
  mkdirSync(dir, { recursive: true });
  const county = generateDemoCounty({ scale: options.scale ?? 1, end: options.end });
  const out: SeedSummary[] = [];
  for (const dataset of DATASET_NAMES) {
    const started = process.hrtime.bigint();
    const bar = startBar(county, dataset, options.progress);
    const file = createWriteStream(join(dir, `${dataset}.ndjson`), { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => file.once('error', reject));
    failed.catch(() => undefined); // surfaced by the race below; avoid an unhandled rejection
    let records = 0;
    // Lines are joined in chunks: one write per record is the slow part of a 10M-line file.
    for (const chunk of inBatches(county.datasets[dataset](), 1000)) {
      records += chunk.length;
      if (!file.write(chunk.map((r) => JSON.stringify(r)).join('\n') + '\n')) await Promise.race([once(file, 'drain'), failed]);
      bar?.update(records);
    }
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
    const sum: SeedSummary = { dataset, records, seconds: elapsed(started) };
    bar?.stop();
    options.say?.(summaryLine(sum));
    out.push(sum);
  }
  return out;
}

/** One line per dataset: records, seconds, records/s, and what the import did with them. */
export function summaryLine(s: SeedSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.records / s.seconds) : s.records;
  const counts = s.inserted === undefined ? '' : `  (inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged})`;
  return `${s.dataset.padEnd(17)} ${String(s.records).padStart(9)} records  ${s.seconds.toFixed(1).padStart(6)} s  ${String(rate).padStart(8)} records/s${counts}`;
}

function startBar(county: DemoCounty, dataset: Dataset, progress = false): SingleBar | undefined {
  if (!progress || !process.stdout.isTTY) return undefined;
  const bar = new SingleBar({ format: `${dataset.padEnd(17)} [{bar}] {value}/~{total}`, hideCursor: true, clearOnComplete: true });
  bar.start(county.estimate(dataset), 0);
  return bar;
}

function elapsed(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

const SEED_USAGE = 'Usage: minqing seed [--scale N] [--end YYYY-MM-DD] [--out DIR]';

/**
 * `minqing seed [--scale N] [--end YYYY-MM-DD] [--out DIR]`: the demo county to NDJSON files, or
 * into the configured database. The demo ends on `--end`, else on the date recorded with the
 * database's demo, else yesterday (+08:00), as on a first start.
 */
export async function seedCommand(args: string[], config: Readonly<Config>): Promise<number> {
  let values: { scale?: string; out?: string; end?: string };
  try {
    ({ values } = parseArgs({ args, options: { scale: { type: 'string' }, out: { type: 'string' }, end: { type: 'string' } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${SEED_USAGE}`);
    return 2;
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    console.error(`--scale: expected a number above 0 and at most ${MAX_SCALE} (e.g. 1, 0.1, 100), got "${values.scale}"`);
    return 2;
  }
  if (values.end !== undefined) {
    try {
      demoRange(values.end);
    } catch (err) {
      console.error(`--end: ${(err as Error).message}`);
      return 2;
    }
  }
  const say = (line: string) => console.log(line);
  const started = process.hrtime.bigint();
  if (values.out) {
    const end = values.end ?? demoEndForToday(Date.now());
    await writeDemoFiles(values.out, { scale, end, say, progress: true });
    console.log(`Wrote the demo county (scale ${scale}, ${demoRange(end).from} to ${end}) to ${values.out} in ${elapsed(started).toFixed(1)} s.`);
    return 0;
  }
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const end = values.end ?? (await demoEndFor(ds));
    await seedDatabase(ds, config, { scale, end, say, progress: true });
    console.log(`Seeded the demo county (scale ${scale}, ${demoRange(end).from} to ${end}) in ${elapsed(started).toFixed(1)} s.`);
  } catch (err) {
    if (err instanceof UserError) {
      console.error(err.message);
      return 2;
    }
    if (!(err instanceof ImportRejected)) throw err;
    // Only a database that already holds other records with the demo's ids can refuse the demo.
    console.error(`The database refused the demo's ${err.dataset} (nothing of that batch was written):`);
    const shown = err.errors.slice(0, 20);
    for (const e of shown) console.error(`  record ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
    if (err.totalErrors > shown.length) console.error(`  … and ${err.totalErrors - shown.length} more`);
    return 1;
  } finally {
    await ds.destroy();
  }
  return 0;
}
