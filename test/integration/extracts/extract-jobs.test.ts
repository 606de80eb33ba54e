import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { extractCommand } from '../../../src/cli/extract.command';
import type { Config } from '../../../src/config';
import { ExtractJob } from '../../../src/domain/extract-jobs';
import { ExtractManifest, runExtractJob } from '../../../src/extracts/extract-jobs';
import { ExtractScheduler } from '../../../src/extracts/scheduler';
import { ImportService } from '../../../src/import/import.service';
import { createLogger } from '../../../src/logger';
import { describeStores } from '../../helpers/stores';
import { ExtractService } from '../../../src/extracts/extract.service';

const job = (o: Partial<ExtractJob>): ExtractJob => ({
  name: 'deps',
  dataset: 'departments',
  format: 'csv',
  schedule: '1h',
  folder: 'deps',
  incremental: true,
  labels: false,
  bom: false,
  days: 90,
  ...o,
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const T0 = Date.UTC(2026, 5, 1, 2, 0, 0);

describeStores('scheduled extracts and the extract command', (store) => {
  let dir: string;
  let config: Readonly<Config>;
  let importer: ImportService;
  let clock = T0;
  const now = () => clock;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minqing-extract-'));
    config = { ...store().config, extractDir: dir, extractKeepRuns: 2 };
    importer = new ImportService(store().ds, store().config);
    await importer.importRecords('departments', [
      { id: 'd1', name: '民政局' },
      { id: 'd2', name: '人社局, "就业"' },
      { id: 'd3', name: '卫健委' },
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const files = (folder = 'deps') => readdirSync(join(dir, folder)).sort();
  const deps = () => ({ service: new ExtractService(store().ds, config), config, now });
  const runs: ExtractManifest[] = [];

  it('writes the file and then its manifest, each renamed into place, with rows, sha256 and watermark', async () => {
    const { manifest, dataPath, manifestPath, removed } = await runExtractJob(job({}), deps());
    runs.push(manifest);
    const [{ last_ms }] = await store().ds.query('SELECT last_ms FROM write_clock WHERE id = 1');
    expect(manifest).toEqual({
      job: 'deps',
      dataset: 'departments',
      format: 'csv',
      file: 'deps-20260601T020000000Z.csv',
      rows: 3,
      bytes: statSync(dataPath).size,
      sha256: sha256(dataPath),
      incremental: true,
      updatedSince: null,
      watermark: new Date(Number(last_ms)).toISOString(),
      previousWatermark: null,
      asOf: expect.any(String),
      from: null,
      to: null,
      startedAt: '2026-06-01T02:00:00.000Z',
      finishedAt: '2026-06-01T02:00:00.000Z',
    });
    expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toEqual(manifest);
    expect(readFileSync(dataPath, 'utf8').split('\r\n')[0]).toBe('id,name,createdAt,updatedAt');
    expect(readFileSync(dataPath, 'utf8')).toContain('d2,"人社局, ""就业""",');
    expect(files()).toEqual(['deps-20260601T020000000Z.csv', 'deps-20260601T020000000Z.manifest.json']);
    expect(removed).toEqual([]);
  });

  it('continues an incremental job from the previous manifest’s watermark', async () => {
    await importer.importRecords('departments', [{ id: 'd2', name: '人社局' }]);
    clock += 3_600_000;
    const { manifest, dataPath } = await runExtractJob(job({}), deps());
    runs.push(manifest);
    expect(manifest).toMatchObject({ rows: 1, updatedSince: runs[0].watermark, previousWatermark: runs[0].watermark });
    expect(Date.parse(manifest.watermark)).toBeGreaterThan(Date.parse(runs[0].watermark));
    expect(readFileSync(dataPath, 'utf8').split('\r\n').slice(1, 2)[0]).toMatch(/^d2,人社局,/);
  });

  it('leaves no file and no manifest when a run fails, and the next run picks up from the last good watermark', async () => {
    await importer.importRecords('departments', [{ id: 'd4', name: '水利局' }]);
    clock += 3_600_000;
    const before = files();
    const failing = () => {
      throw new Error('masking failed');
    };
    await expect(runExtractJob(job({}), { ...deps(), rowTransform: failing })).rejects.toThrow('masking failed');
    expect(files()).toEqual(before);
    clock += 1;
    const { manifest } = await runExtractJob(job({}), deps());
    runs.push(manifest);
    expect(manifest).toMatchObject({ rows: 1, updatedSince: runs[1].watermark, previousWatermark: runs[1].watermark });
  });

  it('keeps the last EXTRACT_KEEP_RUNS runs, and clears temporary files a crashed run left', async () => {
    clock += 3_600_000;
    writeFileSync(join(dir, 'deps', '.deps-20260101T000000000Z.csv.tmp'), 'half a file');
    const { manifest, removed } = await runExtractJob(job({}), deps());
    expect(manifest.rows).toBe(0);
    expect(removed).toEqual([runs[1].file, runs[1].file.replace('.csv', '.manifest.json')]);
    expect(files()).toEqual([runs[2].file, runs[2].file.replace('.csv', '.manifest.json'), manifest.file, manifest.file.replace('.csv', '.manifest.json')].sort());
  });

  it('recomputes daily_metrics for the last N days in every run', async () => {
    const { manifest, dataPath } = await runExtractJob(job({ name: 'daily', dataset: 'daily_metrics', folder: 'metrics', incremental: false, days: 7, format: 'ndjson' }), deps());
    // The clock stands at 2026-06-01T05:00:00.001Z, 13:00 in Asia/Shanghai: 7 days end on that local day.
    expect(manifest).toMatchObject({ rows: 0, from: '2026-05-26', to: '2026-06-01', incremental: false, updatedSince: null });
    expect(readFileSync(dataPath, 'utf8')).toBe('');
  });

  it('runs a job that never ran as soon as the scheduler starts, and not again before it is due', async () => {
    const seen: Array<{ job: string; rows?: number; error?: unknown }> = [];
    const scheduled: Readonly<Config> = { ...config, extractJobs: [job({ name: 'sched', folder: 'sched', schedule: '1h', format: 'ndjson' })] };
    const log = createLogger('silent');
    let resolveRun!: () => void;
    const ran = new Promise<void>((r) => (resolveRun = r));
    const onRun = (j: ExtractJob, o: { result?: { manifest: ExtractManifest }; error?: unknown }) => {
      seen.push({ job: j.name, rows: o.result?.manifest.rows, error: o.error });
      resolveRun();
    };
    const first = new ExtractScheduler({ service: new ExtractService(store().ds, scheduled), config: scheduled, log, onRun });
    await first.start();
    await ran;
    await first.stop();
    expect(seen).toEqual([{ job: 'sched', rows: 4, error: undefined }]);
    // A restart reads the manifest: the next run is an hour after the last one, not now.
    const second = new ExtractScheduler({ service: new ExtractService(store().ds, scheduled), config: scheduled, log, onRun });
    await second.start();
    await new Promise((r) => setTimeout(r, 300));
    await second.stop();
    expect(seen).toHaveLength(1);
    expect(files('sched').filter((f) => f.endsWith('.manifest.json'))).toHaveLength(1);
  });

  it('`minqing extract` writes a file atomically and prints the watermark for the next pull', async () => {
    const out = join(dir, 'cli', 'departments.csv');
    rmSync(join(dir, 'cli'), { recursive: true, force: true });
    mkdirSync(join(dir, 'cli'));
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (c) => (said += c));
    const code = await extractCommand(['departments', '--format', 'csv', '--bom', '--out', out], store().config, { stdout: new PassThrough(), stderr });
    expect(code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFid,name,createdAt,updatedAt\r\n')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(5);
    expect(readdirSync(join(dir, 'cli'))).toEqual(['departments.csv']);
    const [{ last_ms }] = await store().ds.query('SELECT last_ms FROM write_clock WHERE id = 1');
    const w = new Date(Number(last_ms)).toISOString();
    expect(said).toBe(`Wrote 4 departments row(s) to ${out}. Watermark ${w}: next time use --updated-since ${w}\n`);
  });

  it('`minqing extract` writes NDJSON to stdout, honours --updated-since, and refuses bad input with exit code 2', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (c) => (text += c));
    const stderr = new PassThrough();
    const since = runs[1].watermark;
    expect(await extractCommand(['departments', '--updated-since', since], store().config, { stdout, stderr })).toBe(0);
    expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).id)).toEqual(['d4']);

    let said = '';
    const err = new PassThrough();
    err.on('data', (c) => (said += c));
    expect(await extractCommand(['nope'], store().config, { stdout, stderr: err })).toBe(2);
    expect(said).toContain('unknown dataset "nope"; extracts exist for: regions,');
    said = '';
    expect(await extractCommand(['visits', '--updated-since', 'yesterday'], store().config, { stdout, stderr: err })).toBe(2);
    expect(said).toContain('--updated-since must be an ISO-8601 date-time with an offset');
  });
});
