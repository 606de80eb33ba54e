import { DateTime } from 'luxon';
import { DATASET_NAMES } from './datasets';

/**
 * What can be extracted, and how scheduled extract jobs are described. Kept free of database
 * imports so that src/config.ts can validate EXTRACT_JOBS with it at start-up.
 */
export const EXTRACT_DATASET_NAMES = [...DATASET_NAMES, 'issue_facts', 'daily_metrics', 'alerts', 'audit_log'] as const;
export type ExtractDatasetName = (typeof EXTRACT_DATASET_NAMES)[number];
export const EXTRACT_FORMATS = ['ndjson', 'csv'] as const;
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number];

export function isExtractDataset(name: string): name is ExtractDatasetName {
  return (EXTRACT_DATASET_NAMES as readonly string[]).includes(name);
}

/** One configured scheduled extract (EXTRACT_JOBS). */
export interface ExtractJob {
  /** Unique; names the job's files (`<name>-<started>.<ext>`) and its default folder. */
  name: string;
  dataset: ExtractDatasetName;
  format: ExtractFormat;
  /** An interval (`15m`, `1h`, `24h`, `2d`) or a daily local time `HH:MM` in the reporting zone. */
  schedule: string;
  /** Folder for files and manifests; relative paths are under EXTRACT_DIR. */
  folder: string;
  /** Pull only what changed since the previous run's watermark (not for daily_metrics). */
  incremental: boolean;
  labels: boolean;
  bom: boolean;
  /** daily_metrics only: how many days, ending today, each run recomputes (default 90). */
  days: number;
}

export type Schedule = { kind: 'interval'; ms: number } | { kind: 'daily'; hour: number; minute: number };

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `15m` / `1h` / `24h` / `2d` or a daily `HH:MM`; null when it is neither. */
export function parseSchedule(s: string): Schedule | null {
  const interval = /^(\d{1,6})(m|h|d)$/.exec(s.trim());
  if (interval) {
    const ms = Number(interval[1]) * UNIT_MS[interval[2]];
    return ms >= 60_000 ? { kind: 'interval', ms } : null;
  }
  const daily = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return daily ? { kind: 'daily', hour: Number(daily[1]), minute: Number(daily[2]) } : null;
}

/**
 * When a job is next due: an interval job `ms` after its previous start (now when it never
 * ran or is overdue); a daily job at the first HH:MM (in `zone`) after its previous start, or
 * after `now` when it never ran, so a server started at 09:00 does not fire a 02:00 job.
 */
export function nextRunAt(schedule: Schedule, previousStart: number | null, now: number, zone: string): number {
  if (schedule.kind === 'interval') return previousStart === null ? now : Math.max(now, previousStart + schedule.ms);
  const from = previousStart ?? now;
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  for (let i = 0; i < 3; i++) {
    // Built from calendar fields, so a 23- or 25-hour day still fires at the wall-clock time.
    const at = day.set({ hour: schedule.hour, minute: schedule.minute }).toMillis();
    if (at > from) return previousStart === null ? at : Math.max(now, at);
    day = day.plus({ days: 1 });
  }
  throw new Error('unreachable: a daily time occurs within two days');
}

/**
 * Validates the parsed JSON of EXTRACT_JOBS and fills defaults; throws an Error whose message
 * says which job and which key is wrong (config.ts prefixes the variable name).
 */
export function parseExtractJobs(parsed: unknown): ExtractJob[] {
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of jobs');
  const names = new Set<string>();
  return parsed.map((raw, i) => {
    const j = (raw ?? {}) as Record<string, unknown>;
    const where = `job ${i}${typeof j.name === 'string' ? ` ("${j.name}")` : ''}`;
    const fail = (msg: string): never => {
      throw new Error(`${where}: ${msg}`);
    };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected an object');
    const known = ['name', 'dataset', 'format', 'schedule', 'folder', 'incremental', 'labels', 'bom', 'days'];
    const unknown = Object.keys(j).filter((k) => !known.includes(k));
    if (unknown.length) fail(`unknown key(s) ${unknown.join(', ')}; allowed: ${known.join(', ')}`);
    if (typeof j.dataset !== 'string' || !isExtractDataset(j.dataset)) {
      fail(`dataset must be one of ${EXTRACT_DATASET_NAMES.join(', ')}`);
    }
    const dataset = j.dataset as ExtractDatasetName;
    const format = j.format ?? 'ndjson';
    if (typeof format !== 'string' || !(EXTRACT_FORMATS as readonly string[]).includes(format)) fail('format must be ndjson or csv');
    if (typeof j.schedule !== 'string' || !parseSchedule(j.schedule)) {
      fail('schedule must be an interval of at least a minute ("15m", "1h", "24h", "2d") or a daily time "HH:MM"');
    }
    const name = j.name ?? `${dataset}-${format}`;
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
      fail('name must be 1–64 letters, digits, "_", "." or "-"');
    }
    if (names.has(name as string)) fail(`name "${name}" is used twice; give each job its own name`);
    names.add(name as string);
    const folder = j.folder ?? name;
    if (typeof folder !== 'string' || folder.trim() === '') fail('folder must be a non-empty path');
    for (const k of ['incremental', 'labels', 'bom'] as const) {
      if (j[k] !== undefined && typeof j[k] !== 'boolean') fail(`${k} must be true or false`);
    }
    const incremental = j.incremental === true;
    if (incremental && dataset === 'daily_metrics') fail('daily_metrics is recomputed for a date range and cannot be incremental');
    if (incremental && dataset === 'alerts') fail('alerts are computed as of each run and cannot be incremental');
    const days = j.days ?? 90;
    if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 3660) fail('days must be a whole number from 1 to 3660');
    if (j.days !== undefined && dataset !== 'daily_metrics') fail('days applies to daily_metrics only');
    return {
      name: name as string,
      dataset,
      format: format as ExtractFormat,
      schedule: (j.schedule as string).trim(),
      folder: folder as string,
      incremental,
      labels: j.labels === true,
      bom: j.bom === true,
      days: days as number,
    };
  });
}
