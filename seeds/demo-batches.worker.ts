import { parentPort, workerData } from 'node:worker_threads';
import type { DemoBatchRequest } from './demo-batches';
import { generateDemoCounty, inBatches } from './demo-county';

/*
 * Generates one dataset of the demo county on a worker thread for demoBatches (demo-batches.ts):
 * posts batches while it has credit (the first `ahead`, then one per "more" from the parent),
 * then { done: true }. A thrown error ends the thread and reaches the parent as its 'error'.
 */
const { dataset, scale, seed, end, batchSize, ahead } = workerData as DemoBatchRequest;
const port = parentPort!;
let credit = ahead;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
});

async function main(): Promise<void> {
  for (const batch of inBatches(generateDemoCounty({ scale, seed, end }).datasets[dataset](), batchSize)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    port.postMessage({ batch });
  }
  port.postMessage({ done: true });
  port.close();
}

void main();
