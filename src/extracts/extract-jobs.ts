import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { RowTransform } from './extract-datasets';
import type { ExtractJob } from '../domain/extract-jobs';
import { jobActor } from '../domain/audit';
import { ExtractService, extractParams } from './extract.service';

/** What a run leaves next to its file; BI tools read manifests, then the files they name. */
export interface ExtractManifest {
  job: string;
  dataset: string;
  format: string;
  /** The data file, in the same folder. */
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
  incremental: boolean;
  /** Rows with updatedAt > updatedSince and ≤ watermark are in the file (record extracts). */
  updatedSince: string | null;
  watermark: string;
  previousWatermark: string | null;
  /** Issue state and daily_metrics facts are as of this instant. */
  asOf: string;
  /** daily_metrics: the local dates computed. */
  from: string | null;
  to: string | null;
  startedAt: string;
  finishedAt: string;
}

export interface ExtractJobDeps {
  config: Readonly<Config>;
  log?: Logger;
  /** The row hook (masking) for files written by jobs; none = rows as stored. */
  rowTransform?: RowTransform;
  /** The process's extract service (createServices). */
  service: ExtractService;
  now?: () => number;
}

export interface ExtractRunResult {
  manifest: ExtractManifest;
  dataPath: string;
  manifestPath: string;
  /** Older runs deleted by retention (file names). */
  removed: string[];
}

const MANIFEST = '.manifest.json';
const TMP = '.tmp';

/** The folder a job writes to. */
export function jobFolder(job: ExtractJob, config: Pick<Config, 'extractDir'>): string {
  return resolve(config.extractDir, job.folder);
}

/** The job's manifests in the folder, oldest first (file names sort by start time). */
async function manifestNames(folder: string, job: ExtractJob): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(`${job.name}-`) && n.endsWith(MANIFEST)).sort();
}

/** The manifest of the job's latest successful run, or null when it never ran. */
export async function latestManifest(job: ExtractJob, config: Pick<Config, 'extractDir'>): Promise<ExtractManifest | null> {
  const folder = jobFolder(job, config);
  const names = await manifestNames(folder, job);
  if (!names.length) return null;
  return JSON.parse(await readFile(join(folder, names[names.length - 1]), 'utf8')) as ExtractManifest;
}

const fileStamp = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmssSSS'Z'");

/**
 * Runs one scheduled extract: streams it into a temporary file, fsyncs and renames it into
 * place, then writes its manifest the same way (a manifest therefore always names a complete
 * file), then deletes runs beyond EXTRACT_KEEP_RUNS. Incremental jobs continue from the
 * previous manifest's watermark; a failed run leaves no file and no manifest, so the next
 * run starts from the last good watermark and nothing is lost.
 */
export async function runExtractJob(job: ExtractJob, deps: ExtractJobDeps): Promise<ExtractRunResult> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const { service } = deps;
  const folder = jobFolder(job, config);
  await mkdir(folder, { recursive: true });
  await removeLeftovers(folder, job);
  const previous = await latestManifest(job, config);
  const started = now();
  let base = `${job.name}-${fileStamp(started)}`;
  for (let n = 2; (await manifestNames(folder, job)).includes(`${base}${MANIFEST}`); n++) base = `${job.name}-${fileStamp(started)}-${n}`;

  const updatedSince = job.incremental && previous ? Date.parse(previous.watermark) : null;
  let from: string | null = null;
  let to: string | null = null;
  if (job.dataset === 'daily_metrics') {
    const today = DateTime.fromMillis(started, { zone: config.reportingTimeZone }).startOf('day');
    to = today.toISODate()!;
    from = today.minus({ days: job.days - 1 }).toISODate()!;
  }
  const handle = await service.open(
    extractParams(job.dataset, { format: job.format, labels: job.labels, bom: job.bom, updatedSince, from, to }),
    { rowTransform: deps.rowTransform, actor: jobActor(job.name) },
  );
  const file = `${base}.${handle.extension}`;
  const dataPath = join(folder, file);
  const manifestPath = join(folder, `${base}${MANIFEST}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const tmpData = join(folder, `.${file}${TMP}`);
  try {
    await pipeline(handle.stream, tap, createWriteStream(tmpData));
    const summary = await handle.done;
    if (!summary.completed) throw summary.error ?? new Error('extract stream ended early');
    await fsyncFile(tmpData);
    await rename(tmpData, dataPath);
  } catch (err) {
    handle.stream.destroy();
    await rm(tmpData, { force: true });
    throw err;
  }
  const manifest: ExtractManifest = {
    job: job.name,
    dataset: job.dataset,
    format: job.format,
    file,
    rows: handle.rowsSoFar(),
    bytes,
    sha256: hash.digest('hex'),
    incremental: job.incremental,
    updatedSince: updatedSince === null ? null : new Date(updatedSince).toISOString(),
    watermark: new Date(handle.watermark).toISOString(),
    previousWatermark: previous?.watermark ?? null,
    asOf: new Date(handle.asOf).toISOString(),
    from,
    to,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(now()).toISOString(),
  };
  const tmpManifest = join(folder, `.${base}${MANIFEST}${TMP}`);
  try {
    await writeFile(tmpManifest, JSON.stringify(manifest, null, 2) + '\n');
    await fsyncFile(tmpManifest);
    await rename(tmpManifest, manifestPath);
    await fsyncDir(folder);
  } catch (err) {
    await rm(tmpManifest, { force: true });
    await rm(dataPath, { force: true });
    throw err;
  }
  const removed = await applyRetention(folder, job, config.extractKeepRuns);
  deps.log?.info('extract job finished', { job: job.name, rows: manifest.rows, file, watermark: manifest.watermark });
  return { manifest, dataPath, manifestPath, removed };
}

/** Keeps the newest `keep` runs of the job; older manifests and their files are deleted. */
async function applyRetention(folder: string, job: ExtractJob, keep: number): Promise<string[]> {
  const names = await manifestNames(folder, job);
  const removed: string[] = [];
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    const m = JSON.parse(await readFile(join(folder, name), 'utf8')) as ExtractManifest;
    // Manifest first: a data file without a manifest is ignored by readers; the reverse would mislead.
    await rm(join(folder, name), { force: true });
    await rm(join(folder, m.file), { force: true });
    removed.push(m.file, name);
  }
  return removed;
}

/** Temporary files of this job left by a crashed run (runs of one job never overlap). */
async function removeLeftovers(folder: string, job: ExtractJob): Promise<void> {
  for (const n of await readdir(folder)) {
    if (n.startsWith(`.${job.name}-`) && n.endsWith(TMP)) await rm(join(folder, n), { force: true });
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(path: string): Promise<void> {
  try {
    const fh = await open(path, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not every platform can fsync a directory; the renames are still atomic.
  }
}
