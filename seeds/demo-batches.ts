import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../src/domain/datasets';
import { DemoRecord, generateDemoCounty, inBatches } from './demo-county';

/** What the worker is asked to generate (demo-batches.worker.ts). */
export interface DemoBatchRequest {
  dataset: Dataset;
  scale: number;
  seed: number | undefined;
  end: string | undefined;
  batchSize: number;
  /** Batches it may generate before the first is taken. */
  ahead: number;
}

export interface DemoBatchOptions {
  scale: number;
  seed?: number;
  /** The demo's last day (YYYY-MM-DD); default DEMO_TO. */
  end?: string;
  batchSize: number;
  /** The compiled worker script, or null to generate on this thread; default DEMO_BATCH_WORKER. */
  worker?: string | null;
}

/** Batches generated and not yet taken: enough to never wait on the worker, and a few MB at most. */
const AHEAD = 3;

/**
 * The compiled worker beside this module, or null when this module runs from TypeScript
 * (ts-jest), whose sources a worker thread cannot load.
 */
export const DEMO_BATCH_WORKER: string | null = (() => {
  const file = join(__dirname, 'demo-batches.worker.js');
  return __filename.endsWith('.js') && existsSync(file) ? file : null;
})();

/**
 * One dataset of the demo county in import batches, generated on a worker thread. The
 * generator builds a township's records in one synchronous step (up to a second at ×100);
 * on the importing thread that step held up the import's own statements, whose replies
 * waited for it, so seeding measured the generator as much as the import.
 */
export async function* demoBatches(dataset: Dataset, options: DemoBatchOptions): AsyncGenerator<DemoRecord[]> {
  const script = options.worker === undefined ? DEMO_BATCH_WORKER : options.worker;
  if (script === null) {
    yield* inBatches(generateDemoCounty({ scale: options.scale, seed: options.seed, end: options.end }).datasets[dataset](), options.batchSize);
    return;
  }
  const request: DemoBatchRequest = { dataset, scale: options.scale, seed: options.seed, end: options.end, batchSize: options.batchSize, ahead: AHEAD };
  const worker = new Worker(script, { workerData: request });
  const inbox: Array<{ batch?: DemoRecord[]; done?: true }> = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => wake?.();
  worker.on('message', (m: { batch?: DemoRecord[]; done?: true }) => (inbox.push(m), notify()));
  worker.on('error', (err: Error) => ((failure = err), notify()));
  worker.on('exit', () => ((exited = true), notify()));
  try {
    for (;;) {
      while (!inbox.length) {
        if (failure) throw failure;
        if (exited) throw new Error(`the demo generator for ${dataset} stopped before it was done`);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      const m = inbox.shift()!;
      if (m.done) return;
      worker.postMessage('more'); // the worker generates the next one while this one is imported
      yield m.batch!;
    }
  } finally {
    await worker.terminate();
  }
}
