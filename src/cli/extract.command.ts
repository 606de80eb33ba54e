import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { Config } from '../config';
import { createDataSource } from '../data-source';
import { EXTRACT_FORMATS, ExtractFormat, isExtractDataset } from '../domain/extract-jobs';
import { checkParams, ExtractService, extractParams, parseInstant, unknownDataset } from '../extracts/extract.service';
import { badInput, UserError } from '../domain/errors';
import { AuditTrail } from '../audit/audit-trail';
import { cliActor } from './cli-actor';

export const EXTRACT_USAGE = `Usage: minqing extract <dataset> [--format csv|ndjson] [--updated-since T] [--out FILE]
                       [--labels] [--bom] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
Writes the extract to stdout, or atomically to FILE; the watermark to pass as
--updated-since next time is printed on stderr.`;

export interface ExtractCommandIo {
  stdout: Writable;
  stderr: NodeJS.WriteStream | Writable;
}

/** `minqing extract`: the HTTP extract, written to stdout or a file, with progress on a terminal. */
export async function extractCommand(
  args: string[],
  config: Readonly<Config>,
  io: ExtractCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (line: string) => io.stderr.write(line + '\n');
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        'updated-since': { type: 'string' },
        out: { type: 'string', short: 'o' },
        labels: { type: 'boolean' },
        bom: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
      },
    }));
  } catch (err) {
    say(`${(err as Error).message}\n\n${EXTRACT_USAGE}`);
    return 2;
  }
  const ds = createDataSource(config);
  let tmp: string | null = null;
  try {
    if (positionals.length !== 1) throw badInput(`expected one dataset, got ${positionals.length}\n\n${EXTRACT_USAGE}`);
    const [dataset] = positionals;
    if (!isExtractDataset(dataset)) throw unknownDataset(dataset);
    const format = (values.format as string | undefined) ?? 'ndjson';
    if (!(EXTRACT_FORMATS as readonly string[]).includes(format)) throw badInput(`--format must be ndjson or csv (got "${format}")`);
    const since = values['updated-since'] as string | undefined;
    const params = checkParams(
      extractParams(dataset, {
        format: format as ExtractFormat,
        updatedSince: since === undefined ? null : parseInstant('--updated-since', since),
        labels: values.labels === true,
        bom: values.bom === true,
        from: (values.from as string | undefined) ?? null,
        to: (values.to as string | undefined) ?? null,
      }),
      config,
    );
    await ds.initialize();
    // Recorded in the audit trail like any extract: the operator's own pull, by operating-system user.
    const handle = await new ExtractService(ds, config, { audit: new AuditTrail(ds) }).open(params, { actor: cliActor() });
    const out = values.out as string | undefined;
    tmp = out ? `${out}.tmp-${process.pid}` : null;
    const sink = tmp ? createWriteStream(tmp) : io.stdout;
    const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
    const bar = tty ? new SingleBar({ format: `  ${dataset} {value} rows  {speed} rows/s`, stream: io.stderr as NodeJS.WriteStream, fps: 5 }) : null;
    const started = Date.now();
    bar?.start(0, 0, { speed: 0 });
    const ticker = bar
      ? setInterval(() => {
          const rows = handle.rowsSoFar();
          bar.update(rows, { speed: Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)) });
        }, 200)
      : null;
    try {
      await pipeline(handle.stream, sink, { end: tmp !== null });
    } finally {
      if (ticker) clearInterval(ticker);
      bar?.update(handle.rowsSoFar());
      bar?.stop();
    }
    const summary = await handle.done;
    if (!summary.completed) throw summary.error ?? new Error('the extract stopped early');
    if (tmp && out) {
      await rename(tmp, out);
      tmp = null;
    }
    const w = new Date(handle.watermark).toISOString();
    say(
      `Wrote ${summary.rows} ${dataset} row(s)${out ? ` to ${out}` : ''}.` +
        (handle.range ? ` Dates ${handle.range.from} to ${handle.range.to}.` : ` Watermark ${w}: next time use --updated-since ${w}`),
    );
    return 0;
  } catch (err) {
    if (tmp) await rm(tmp, { force: true });
    if (err instanceof UserError) {
      say(err.message);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0; // `| head` closed stdout: not an error
    throw err;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
