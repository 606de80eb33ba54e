import type { Config } from '../config';
import type { Logger } from '../logger';
import type { RowTransform } from './extract-datasets';
import { ExtractJob, nextRunAt, parseSchedule } from '../domain/extract-jobs';
import { ExtractRunResult, latestManifest, runExtractJob } from './extract-jobs';
import type { ExtractService } from './extract.service';

/** After a failed run, try again this soon (or at the job's interval when that is shorter). */
const RETRY_MS = 5 * 60_000;
/** setTimeout's ceiling; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SchedulerDeps {
  /** The process's extract service (createServices). */
  service: ExtractService;
  config: Readonly<Config>;
  log: Logger;
  rowTransform?: RowTransform;
  /** Called after every run (tests, metrics). */
  onRun?: (job: ExtractJob, outcome: { result?: ExtractRunResult; error?: unknown }) => void;
}

/**
 * Runs the configured extract jobs (EXTRACT_JOBS) on their schedules inside the server.
 * A job's previous start is read from its latest manifest, so restarts neither skip nor
 * repeat runs; runs of one job never overlap; `stop()` waits for running jobs to finish.
 */
export class ExtractScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Arms every job; returns at once. */
  async start(): Promise<void> {
    for (const job of this.deps.config.extractJobs) {
      const previous = await latestManifest(job, this.deps.config).catch(() => null);
      this.arm(job, previous ? Date.parse(previous.startedAt) : null);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private arm(job: ExtractJob, previousStart: number | null, retryAt?: number): void {
    if (this.stopped) return;
    const schedule = parseSchedule(job.schedule)!;
    const due = retryAt ?? nextRunAt(schedule, previousStart, Date.now(), this.deps.config.reportingTimeZone);
    const wait = Math.min(Math.max(0, due - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.timers.delete(job.name);
      if (Date.now() < due) return this.arm(job, previousStart, retryAt);
      this.run(job, schedule.kind === 'interval' ? schedule.ms : Infinity);
    }, wait);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private run(job: ExtractJob, intervalMs: number): void {
    const started = Date.now();
    const p = runExtractJob(job, this.deps)
      .then(
        (result) => {
          this.deps.onRun?.(job, { result });
          this.arm(job, started);
        },
        (error) => {
          this.deps.log.error(`extract job ${job.name} failed`, error);
          this.deps.onRun?.(job, { error });
          this.arm(job, started, Date.now() + Math.min(RETRY_MS, intervalMs));
        },
      )
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, p);
  }
}

/** Starts the scheduler of configured extract jobs; serve.command.ts calls this once. */
export function startExtractScheduler(deps: SchedulerDeps): ExtractScheduler {
  const scheduler = new ExtractScheduler(deps);
  scheduler.start().catch((err) => deps.log.error('extract scheduler failed to start', err));
  return scheduler;
}
