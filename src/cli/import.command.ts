import { SingleBar } from 'cli-progress';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readConfig } from '../config';
import { createDataSource } from '../data-source';
import { DATASET_NAMES, Dataset, isDataset } from '../domain/datasets';
import { ImportRejected, ImportService } from '../import/import.service';
import { readNdjson } from '../import/ndjson';

export interface ImportIo {
  out(line: string): void;
  err(line: string): void;
  /** Draw a progress bar (only on a terminal). */
  tty: boolean;
}

export interface ImportFile {
  path: string;
  dataset: Dataset;
}

const USAGE = `Usage: minqing import <file-or-folder>...

Each file is named <dataset>.ndjson and is imported as one all-or-nothing batch; a folder
means every such file in it. Files run in the import order of the datasets:
  ${DATASET_NAMES.join(', ')}
so a folder holding a whole export imports in one go.`;

/** `minqing import`: opens the configured database and imports the given files. Exit code 1 on any rejection. */
export async function importCommand(args: string[], io: ImportIo = processIo()): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const plan = planImportFiles(args);
  if (plan.problems.length) {
    plan.problems.forEach((p) => io.err(p));
    return 2;
  }
  const config = readConfig(process.env);
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    if (await ds.showMigrations()) {
      io.err('The database has migrations still to apply: run `npm run minqing -- migrate` first.');
      return 1;
    }
    return await importFiles(new ImportService(ds, config), plan.files, io);
  } finally {
    await ds.destroy();
  }
}

/** The files the arguments name, in the domain's import order (stable for equal datasets), or what is wrong with them. */
export function planImportFiles(args: string[]): { files: ImportFile[]; problems: string[] } {
  const files: ImportFile[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      problems.push(`${arg}: no such file or folder`);
      continue;
    }
    if (st.isDirectory()) {
      const found = readdirSync(arg)
        .filter((name) => name.endsWith('.ndjson') && isDataset(name.slice(0, -'.ndjson'.length)))
        .map((name) => ({ path: join(arg, name), dataset: name.slice(0, -'.ndjson'.length) as Dataset }));
      if (!found.length) problems.push(`${arg}: no files named <dataset>.ndjson in this folder`);
      files.push(...found);
    } else {
      const name = basename(arg);
      const dataset = name.endsWith('.ndjson') ? name.slice(0, -'.ndjson'.length) : '';
      if (isDataset(dataset)) files.push({ path: arg, dataset });
      else problems.push(`${arg}: the file name must be <dataset>.ndjson, one of ${DATASET_NAMES.map((d) => `${d}.ndjson`).join(', ')}`);
    }
  }
  const order = (d: Dataset) => DATASET_NAMES.indexOf(d);
  files.sort((a, b) => order(a.dataset) - order(b.dataset));
  return { files, problems };
}

/** Imports each file as one batch, printing a summary line per file and the errors of rejected ones. */
export async function importFiles(service: ImportService, files: ImportFile[], io: ImportIo): Promise<number> {
  let rejectedFiles = 0;
  for (const file of files) {
    const started = Date.now();
    const label = file.path;
    const bar = io.tty ? new SingleBar({ format: `${file.dataset} [{bar}] {percentage}% | {value}/{total} bytes`, hideCursor: true, clearOnComplete: true, stream: process.stdout }) : null;
    bar?.start(statSync(file.path).size, 0);
    let parsed;
    try {
      // Streamed line by line, but the whole file is held and validated before anything is written.
      parsed = await readNdjson(createReadStream(file.path), (n) => bar?.increment(n));
    } finally {
      bar?.stop();
    }
    // The write phase has no byte count to show; say what is happening until the summary replaces it.
    if (io.tty) process.stdout.write(`${file.dataset}: checking and writing ${parsed.lines.length} records…`);
    const clearStatus = () => io.tty && process.stdout.write('\r\x1b[2K');
    try {
      const r = await service.importParsed(file.dataset, parsed).finally(clearStatus);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.out(`${label}: ${r.received} received, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged (${seconds} s)`);
    } catch (err) {
      if (!(err instanceof ImportRejected)) throw err;
      rejectedFiles++;
      io.out(`${label}: rejected, ${err.totalErrors} error${err.totalErrors === 1 ? '' : 's'}, nothing written`);
      for (const e of err.errors) io.err(`  ${label}:${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
      const more = err.totalErrors - err.errors.length;
      if (more > 0) io.err(`  … and ${more} more error${more === 1 ? '' : 's'}`);
    }
  }
  io.out(`${files.length} file${files.length === 1 ? '' : 's'}: ${files.length - rejectedFiles} imported, ${rejectedFiles} rejected.`);
  return rejectedFiles ? 1 : 0;
}

function processIo(): ImportIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    tty: Boolean(process.stdout.isTTY),
  };
}
