import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { seedCommand, seedDatabase, summaryLine, writeDemoFiles } from '../../src/cli/seed.command';
import { readConfig } from '../../src/config';
import { DATASET_NAMES, Dataset } from '../../src/domain/datasets';
import { ImportRejected, ImportService } from '../../src/import/import.service';
import { demoEndForToday, demoRange, generateDemoCounty } from '../../seeds/demo-county';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe(writeDemoFiles.name, () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'minqing-seed-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes one NDJSON file per dataset holding exactly the generated records', async () => {
    const dir = tempDir();
    const said: string[] = [];
    const summaries = await writeDemoFiles(dir, { scale: 0.05, say: (l) => said.push(l) });
    expect(readdirSync(dir).sort()).toEqual(DATASET_NAMES.map((d) => `${d}.ndjson`).sort());
    const county = generateDemoCounty({ scale: 0.05 });
    for (const d of DATASET_NAMES) {
      const expected = [...county.datasets[d]()].map((r) => JSON.stringify(r) + '\n').join('');
      expect(readFileSync(join(dir, `${d}.ndjson`), 'utf8')).toBe(expected);
      const lines = expected.split('\n').length - 1;
      expect(summaries.find((s) => s.dataset === d)!.records).toBe(lines);
    }
    expect(said).toHaveLength(9);
    expect(said[0]).toMatch(/^regions +\d+ records +\d+\.\d s +\d+ records\/s$/);
  });

  it('writes byte-identical files on every run', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await writeDemoFiles(a, { scale: 0.1 });
    await writeDemoFiles(b, { scale: 0.1 });
    for (const d of DATASET_NAMES) expect(sha(join(b, `${d}.ndjson`))).toBe(sha(join(a, `${d}.ndjson`)));
  });

  it('fails clearly when the folder cannot be written', async () => {
    const file = join(tempDir(), 'not-a-folder');
    require('node:fs').writeFileSync(file, '');
    await expect(writeDemoFiles(join(file, 'sub'), { scale: 0.02 })).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});

describe(summaryLine.name, () => {
  it('shows records, seconds, records per second and the import counts', () => {
    expect(summaryLine({ dataset: 'visits', records: 97262, seconds: 2.04, inserted: 97000, updated: 12, unchanged: 250 })).toBe(
      'visits                97262 records     2.0 s     47677 records/s  (inserted 97000, updated 12, unchanged 250)',
    );
    expect(summaryLine({ dataset: 'regions', records: 10, seconds: 0 })).toBe('regions                  10 records     0.0 s        10 records/s');
  });
});

describe(seedCommand.name, () => {
  const config = readConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite:/nonexistent/never-opened.sqlite' });
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('refuses a scale that is not a positive number up to 1000, before touching anything', async () => {
    for (const scale of ['0', '-2', 'lots', '1001']) {
      expect(await seedCommand([`--scale=${scale}`], config)).toBe(2);
    }
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual(Array(4).fill(expect.stringMatching(/^--scale: expected a number above 0 and at most 1000/)));
  });

  it('answers an unknown option with the usage', async () => {
    expect(await seedCommand(['--scael', '2'], config)).toBe(2);
    expect(String(error.mock.calls[0][0])).toMatch(/Unknown option '--scael'[\s\S]*Usage: minqing seed \[--scale N\] \[--end YYYY-MM-DD\] \[--out DIR\]$/);
  });

  it('writes the files with --out and says so per dataset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minqing-seed-cmd-'));
    try {
      expect(await seedCommand(['--scale', '0.02', '--out', dir], config)).toBe(0);
      expect(readdirSync(dir)).toHaveLength(9);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(10);
      // Without --end the files end yesterday (+08:00), as a first start's demo does.
      const end = demoEndForToday(Date.now());
      expect(lines[9]).toMatch(new RegExp(`^Wrote the demo county \\(scale 0.02, ${demoRange(end).from} to ${end}\\) to ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+\\.\\d s\\.$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(seedDatabase.name, () => {
  afterEach(() => jest.restoreAllMocks());

  /** The demo never fails to import; a refusal is simulated to see how it is reported. */
  const refuseRegionsBatch = (which: number) => {
    let call = 0;
    return jest.spyOn(ImportService.prototype, 'importRecords').mockImplementation(async (dataset: Dataset, records: unknown[]) => {
      if (dataset === 'regions' && call++ === which) throw new ImportRejected('regions', [{ line: 3, field: 'name', message: 'is too long' }], 7);
      return { dataset, received: records.length, inserted: records.length, updated: 0, unchanged: 0 };
    });
  };

  /** Enough of a data source for recording the demo's end date (no setting there yet). */
  const noSettings = { query: async () => [] } as unknown as DataSource;

  it('names a refused record by its position in the dataset, not in its batch', async () => {
    refuseRegionsBatch(1);
    const config = readConfig({ LOG_LEVEL: 'silent' });
    await expect(seedDatabase(noSettings, config, { scale: 0.05, batchSize: 10 })).rejects.toMatchObject({
      dataset: 'regions',
      errors: [{ line: 13, field: 'name', message: 'is too long' }],
      totalErrors: 7,
      message: 'regions: 7 errors, nothing written; line 13 (name): is too long',
    });
  });

  it('makes `minqing seed` print the refusal and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minqing-seed-db-'));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      refuseRegionsBatch(0);
      const config = readConfig({ LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${join(dir, 'x.sqlite')}` });
      expect(await seedCommand(['--scale', '0.05'], config)).toBe(1);
      expect(error.mock.calls.map((c) => String(c[0]))).toEqual([
        "The database refused the demo's regions (nothing of that batch was written):",
        '  record 3 name: is too long',
        '  … and 6 more',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
