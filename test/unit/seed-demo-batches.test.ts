import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../src/domain/datasets';
import { DEMO_BATCH_WORKER, demoBatches } from '../../seeds/demo-batches';
import { DemoRecord, generateDemoCounty, inBatches } from '../../seeds/demo-county';

/**
 * The worker runs compiled JavaScript: `npm ci` builds dist/ (the prepare script), and so does
 * `npm run build`. Under ts-jest this module is TypeScript, so demoBatches' default is this thread.
 */
const COMPILED_WORKER = join(__dirname, '..', '..', 'dist', 'seeds', 'demo-batches.worker.js');

async function collect(dataset: Dataset, worker: string | null, batchSize = 700): Promise<DemoRecord[][]> {
  const out: DemoRecord[][] = [];
  for await (const b of demoBatches(dataset, { scale: 0.05, batchSize, worker })) out.push(b);
  return out;
}

describe(demoBatches.name, () => {
  const expected = (dataset: Dataset, batchSize = 700) => [...inBatches(generateDemoCounty({ scale: 0.05 }).datasets[dataset](), batchSize)];

  it('generates on this thread when running from TypeScript, which a worker cannot load', () => {
    expect(DEMO_BATCH_WORKER).toBeNull();
  });

  it.each(['visits', 'survey_responses'] as const)('gives the same %s batches on this thread', async (dataset) => {
    expect(await collect(dataset, null)).toEqual(expected(dataset));
  });

  describe('on a worker thread', () => {
    beforeAll(() => {
      if (!existsSync(COMPILED_WORKER)) throw new Error(`${COMPILED_WORKER} is missing: run npm run build (npm ci runs it)`);
    });

    it.each(['visits', 'issue_events', 'survey_responses'] as const)('gives the same %s batches, in order', async (dataset) => {
      const sut = await collect(dataset, COMPILED_WORKER);
      expect(sut.length).toBeGreaterThan(1);
      expect(sut).toEqual(expected(dataset));
    });

    it('stops the worker when the consumer stops early', async () => {
      const batches = demoBatches('visits', { scale: 0.05, batchSize: 100, worker: COMPILED_WORKER });
      const first = await batches.next();
      expect(first.value).toHaveLength(100);
      await expect(batches.return(undefined)).resolves.toEqual({ done: true, value: undefined });
    });

    it('rejects with the generator’s error instead of hanging', async () => {
      await expect(collect('no_such_dataset' as Dataset, COMPILED_WORKER)).rejects.toThrow(/not a function/);
    });

    it('rejects when the worker script cannot run', async () => {
      await expect(collect('visits', join(__dirname, 'no-such-worker.js'))).rejects.toThrow(/Cannot find module/);
    });
  });
});
