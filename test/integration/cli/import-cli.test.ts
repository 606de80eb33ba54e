import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCommand, ImportIo } from '../../../src/cli/import.command';
import { describeStores } from '../../helpers/stores';

function captureIo(): ImportIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), tty: false };
}

describeStores('minqing import', (store) => {
  let dir: string;
  let savedUrl: string | undefined;
  const count = async (table: string) => Number((await store().ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'minqing-import-cli-'));
    savedUrl = process.env.DATABASE_URL;
    // The command reads its configuration like the real CLI does: point it at this test's database.
    process.env.DATABASE_URL = store().config.databaseUrl;
  });
  afterAll(() => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a folder in the domain order, one batch per file, and exits 1 when one file is rejected', async () => {
    const folder = join(dir, 'export');
    mkdirSync(folder);
    // Written in an order that would fail if imported alphabetically (cadres before regions).
    writeFileSync(
      join(folder, 'cadres.ndjson'),
      '{"id":"c1","name":"王干部","regionId":"t1","rank":"LEADER"}\n{"id":"c2","name":"李干部","regionId":"t9","rank":"STAFF"}\n',
    );
    writeFileSync(join(folder, 'regions.ndjson'), '{"id":"t1","parentId":"cty","level":"TOWNSHIP","name":"城关镇"}\r\n{"id":"cty","level":"COUNTY","name":"测试县"}\r\n');
    writeFileSync(join(folder, 'departments.ndjson'), '\n{"id":"d1","name":"民政局"}\n');
    writeFileSync(join(folder, 'notes.txt'), 'not an import file');
    const io = captureIo();

    expect(await importCommand([folder], io)).toBe(1);

    expect(io.stdout).toEqual([
      expect.stringMatching(/^.*regions\.ndjson: 2 received, 2 inserted, 0 updated, 0 unchanged \(\d+\.\d s\)$/),
      expect.stringMatching(/^.*departments\.ndjson: 1 received, 1 inserted, 0 updated, 0 unchanged \(\d+\.\d s\)$/),
      `${join(folder, 'cadres.ndjson')}: rejected, 1 error, nothing written`,
      '3 files: 2 imported, 1 rejected.',
    ]);
    expect(io.stderr).toEqual([`  ${join(folder, 'cadres.ndjson')}:2 regionId: regionId "t9": no such record in regions`]);
    expect([await count('regions'), await count('departments'), await count('cadres')]).toEqual([2, 1, 0]);
  });

  it('exits 0 when every file is imported, and re-importing finds everything unchanged', async () => {
    const file = join(dir, 'departments.ndjson');
    writeFileSync(file, '{"id":"d1","name":"民政局"}\n{"id":"d2","name":"人社局"}\n');
    const io = captureIo();
    expect(await importCommand([file], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/departments\.ndjson: 2 received, 1 inserted, 0 updated, 1 unchanged/);
    expect(io.stdout[1]).toBe('1 file: 1 imported, 0 rejected.');
  });

  it('refuses, before importing anything, a file not named after a dataset or a path that does not exist', async () => {
    const wrong = join(dir, 'cadre.ndjson');
    writeFileSync(wrong, '{}\n');
    const good = join(dir, 'departments.ndjson');
    const io = captureIo();
    expect(await importCommand([good, wrong, join(dir, 'missing')], io)).toBe(2);
    expect(io.stderr).toEqual([
      `${wrong}: the file name must be <dataset>.ndjson, one of regions.ndjson, departments.ndjson, cadres.ndjson, households.ndjson, pairings.ndjson, visits.ndjson, issues.ndjson, issue_events.ndjson, survey_responses.ndjson`,
      `${join(dir, 'missing')}: no such file or folder`,
    ]);
    expect(io.stdout).toEqual([]);
  });

  it('reports the first 100 errors of a file and how many more there were', async () => {
    const file = join(dir, 'issues.ndjson');
    writeFileSync(file, Array.from({ length: 130 }, (_, i) => `{"id":"i${i}"`).join('\n'));
    const io = captureIo();
    expect(await importCommand([file], io)).toBe(1);
    expect(io.stdout[0]).toBe(`${file}: rejected, 130 errors, nothing written`);
    expect(io.stderr).toHaveLength(101);
    expect(io.stderr[0]).toMatch(new RegExp(`^  ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1: malformed JSON: `));
    expect(io.stderr[100]).toBe('  … and 30 more errors');
  });
});
