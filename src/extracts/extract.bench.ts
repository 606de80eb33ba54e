import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { ExtractDatasetName, ExtractFormat } from '../domain/extract-jobs';
import { ExtractService, extractParams } from './extract.service';

export interface ExtractBenchResult {
  dataset: ExtractDatasetName;
  format: ExtractFormat;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Highest resident set size seen while extracting (sampled every 50 ms). */
  peakRssMb: number;
  /** RSS before the extract started, for comparison. */
  startRssMb: number;
}

/**
 * For `npm run bench`: extracts a whole dataset to /dev/null through the same service as
 * HTTP and reports rows/s and peak RSS, which must stay flat as the row count grows.
 */
export async function benchExtract(
  dataSource: DataSource,
  config: Readonly<Config>,
  dataset: ExtractDatasetName,
  format: ExtractFormat = 'ndjson',
  options: { chunkSize?: number; sink?: string } = {},
): Promise<ExtractBenchResult> {
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  try {
    const service = new ExtractService(dataSource, config, { chunkSize: options.chunkSize });
    const handle = await service.open(extractParams(dataset, { format }));
    let bytes = 0;
    handle.stream.on('data', (c: Buffer) => (bytes += c.length));
    await pipeline(handle.stream, createWriteStream(options.sink ?? '/dev/null'));
    const summary = await handle.done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      dataset,
      format,
      rows: summary.rows,
      bytes,
      seconds,
      rowsPerSecond: Math.round(summary.rows / Math.max(seconds, 1e-9)),
      peakRssMb: mb(peak),
      startRssMb: mb(startRss),
    };
  } finally {
    clearInterval(sampler);
  }
}
