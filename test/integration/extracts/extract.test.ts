import { once } from 'node:events';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { maskValue } from '../../../src/auth/masking';
import { DATASET_NAMES, DATASETS, Dataset } from '../../../src/domain/datasets';
import { encodeCursor } from '../../../src/extracts/extract-cursor';
import { EXTRACT_DATASET_NAMES } from '../../../src/domain/extract-jobs';
import { extractRoutes, ExtractRoutesOptions } from '../../../src/http/extract.routes';
import { ExtractService, extractParams } from '../../../src/extracts/extract.service';
import { RowTransform } from '../../../src/extracts/extract-datasets';
import { ImportService } from '../../../src/import/import.service';
import { createLogger } from '../../../src/logger';
import { Fixtures, Rec } from '../../factories';
import { describeStores, TestStore } from '../../helpers/stores';

/** A county with every dataset, every optional field both set and absent, and text that CSV must quote. */
const FIXTURES: Fixtures = {
  regions: [
    { id: 'x-county', parentId: null, level: 'COUNTY', name: '测试县', code: '510100000000' },
    { id: 'x-town', parentId: 'x-county', level: 'TOWNSHIP', name: '东风镇' },
    { id: 'x-v1', parentId: 'x-town', level: 'VILLAGE', name: '红星村, "一组"' },
    { id: 'x-g1', parentId: 'x-v1', level: 'GROUP', name: '一组' },
  ],
  departments: [
    { id: 'x-d1', name: '民政局' },
    { id: 'x-d2', name: '人社局,"就业"科\n二楼' },
  ],
  cadres: [
    { id: 'x-c1', name: '王干部', regionId: 'x-town', rank: 'LEADER', unit: '东风镇人民政府', phone: '13812345678' },
    { id: 'x-c2', name: 'Li Ming', regionId: 'x-v1', rank: 'STAFF' },
  ],
  households: [
    { id: 'x-h1', regionId: 'x-g1', headName: '张三', phone: '13987654321', members: 4, tags: ['LOW_INCOME', 'ELDERLY_ALONE'] },
    { id: 'x-h2', regionId: 'x-v1', headName: '欧阳娜娜', tags: [] },
  ],
  pairings: [
    { id: 'x-p1', cadreId: 'x-c1', householdId: 'x-h1', startedOn: '2025-01-01', endedOn: null },
    { id: 'x-p2', cadreId: 'x-c2', householdId: 'x-h2', startedOn: '2024-03-01', endedOn: '2024-12-31' },
  ],
  visits: [
    {
      id: 'x-vis1',
      cadreId: 'x-c1',
      regionId: 'x-g1',
      householdId: 'x-h1',
      visitedAt: '2025-03-15T09:30:00+08:00',
      kind: 'VILLAGE_STAY',
      stayDays: 3,
      note: '第一行\r\n第二行, 有"引号"',
    },
    { id: 'x-vis2', cadreId: 'x-c2', regionId: 'x-v1', visitedAt: '2025-03-16T23:59:59.999+08:00', kind: 'HOME_VISIT', note: '只有\n换行' },
  ],
  issues: [
    {
      id: 'x-i1',
      regionId: 'x-g1',
      householdId: 'x-h1',
      visitId: 'x-vis1',
      channel: 'VISIT',
      category: 'INCOME',
      summary: '路灯坏了，"急"',
      receivedAt: '2025-03-15T10:00:00+08:00',
      dueAt: '2025-03-20T18:00:00+08:00',
    },
    { id: 'x-i2', regionId: 'x-v1', channel: 'ONLINE', category: 'OTHER', receivedAt: '2025-03-16T08:00:00Z' },
  ],
  issue_events: [
    { id: 'x-e1', issueId: 'x-i1', at: '2025-03-15T11:00:00+08:00', type: 'ASSIGNED', departmentId: 'x-d1', note: '交民政局' },
    { id: 'x-e2', issueId: 'x-i1', at: '2025-03-16T11:00:00+08:00', type: 'RESOLVED' },
  ],
  survey_responses: [
    {
      id: 'x-s1',
      regionId: 'x-g1',
      issueId: 'x-i1',
      cadreId: 'x-c1',
      householdId: 'x-h1',
      respondedAt: '2025-03-17T10:00:00+08:00',
      channel: 'PHONE_CALLBACK',
      score: 4,
      resolved: 'YES',
      contacted: true,
      comment: '满意,谢谢\n"好"',
    },
    { id: 'x-s2', regionId: 'x-v1', respondedAt: '2025-03-18T10:00:00+08:00', channel: 'ONLINE', score: 2, contacted: false },
  ],
};

const IMPORTED_AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

/** What the extract of a fixture must say for an import field: instants in UTC with ms, lists sorted as stored. */
function expected(dataset: Dataset, rec: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of DATASETS[dataset].fields) {
    const v = rec[f.name];
    if (f.kind === 'enumList') out[f.name] = [...((v as string[] | undefined) ?? [])].sort();
    else if (v === undefined || v === null) out[f.name] = null;
    else if (f.kind === 'instant') out[f.name] = new Date(Date.parse(String(v))).toISOString();
    else out[f.name] = v;
  }
  return out;
}

/** A tiny RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (cell += ch), i++;
    } else if (ch === '"' && cell === '') (quoted = true), i++;
    else if (ch === ',') row.push(cell), (cell = ''), i++;
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), (i += 2);
    else if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i}: not RFC 4180`);
    else if (ch === '"') throw new Error(`quote inside an unquoted field at ${i}`);
    else (cell += ch), i++;
  }
  if (cell !== '' || row.length) throw new Error('last record does not end with CRLF');
  return rows;
}

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function serve(store: TestStore, options: ExtractRoutesOptions = {}, extracts = new ExtractService(store.ds, store.config)): Promise<{ base: string; server: Server }> {
  const app = express();
  app.use('/api/extracts', extractRoutes({ config: store.config, extracts, log: createLogger('silent') }, options));
  const server = app.listen(0);
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/extracts`, server };
}

describeStores('extracts over HTTP', (store) => {
  let base: string;
  let server: Server;
  let importer: ImportService;

  beforeAll(async () => {
    importer = new ImportService(store().ds, store().config);
    for (const name of DATASET_NAMES) await importer.importRecords(name, FIXTURES[name], { now: IMPORTED_AT });
    ({ base, server } = await serve(store()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const get = (path: string) => fetch(`${base}${path}`);

  it.each(DATASET_NAMES.map((d) => [d]))('round-trips %s: every field as imported, then createdAt/updatedAt', async (dataset) => {
    const res = await get(`/${dataset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const rows = ndjson(await res.text());
    // One import per dataset, in order, so each got its own stamp: IMPORTED_AT, then +1 ms each. Issue x-i1's
    // derived state changed when its events (+7) and then its survey response (+8) were imported.
    const created = IMPORTED_AT + DATASET_NAMES.indexOf(dataset);
    const updated = (id: string) => (id === 'x-i1' ? IMPORTED_AT + 8 : created);
    const iso = (ms: number) => new Date(ms).toISOString();
    const want = [...FIXTURES[dataset]]
      .sort((a, b) => updated(a.id) - updated(b.id) || (a.id < b.id ? -1 : 1))
      .map((r) => ({ ...expected(dataset, r), createdAt: iso(created), updatedAt: iso(updated(r.id)) }));
    expect(rows).toEqual(want);
    // Field order: import order, then the stamps.
    expect(Object.keys(rows[0])).toEqual([...DATASETS[dataset].fields.map((f) => f.name), 'createdAt', 'updatedAt']);
  });

  it('hands back exactly what was imported: re-importing every extract changes nothing', async () => {
    for (const dataset of DATASET_NAMES) {
      // The stamps come back too; import ignores them (Minqing keeps its own), so the file goes back as is.
      const rows = ndjson(await (await get(`/${dataset}`)).text());
      const result = await importer.importRecords(dataset, rows, { now: IMPORTED_AT + 1000 });
      expect(result).toEqual({ dataset, received: rows.length, inserted: 0, updated: 0, unchanged: rows.length });
    }
  });

  it('writes instants as ISO-8601 UTC with milliseconds', async () => {
    const rows = ndjson(await (await get('/visits')).text());
    expect(rows.map((r) => r.visitedAt)).toEqual(['2025-03-15T01:30:00.000Z', '2025-03-16T15:59:59.999Z']);
  });

  it('writes RFC 4180 CSV that reads back to the same values, commas, quotes, line breaks and Chinese included', async () => {
    for (const dataset of DATASET_NAMES) {
      const json = ndjson(await (await get(`/${dataset}`)).text());
      const res = await get(`/${dataset}?format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      const [header, ...rows] = readCsv(await res.text());
      expect(header).toEqual(Object.keys(json[0]));
      const asCell = (v: unknown) => (v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));
      expect(rows).toEqual(json.map((r) => header.map((h) => asCell(r[h]))));
    }
  });

  it('quotes exactly the fields that need it, doubling quotes, with CRLF between records', async () => {
    const text = await (await get('/departments?format=csv')).text();
    expect(text).toBe('id,name,createdAt,updatedAt\r\n' + `x-d1,民政局,2026-01-02T03:04:05.679Z,2026-01-02T03:04:05.679Z\r\n` + `x-d2,"人社局,""就业""科\n二楼",2026-01-02T03:04:05.679Z,2026-01-02T03:04:05.679Z\r\n`);
  });

  it('adds a UTF-8 BOM for Excel only when asked', async () => {
    const plain = Buffer.from(await (await get('/departments?format=csv')).arrayBuffer());
    const bom = Buffer.from(await (await get('/departments?format=csv&bom=true')).arrayBuffer());
    expect(plain.subarray(0, 3).equals(Buffer.from('id,'))).toBe(true);
    expect(bom.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(bom.subarray(3).equals(plain)).toBe(true);
  });

  it('adds Chinese label columns after enum fields with labels=true (CSV and NDJSON)', async () => {
    const [header, ...rows] = readCsv(await (await get('/households?format=csv&labels=true')).text());
    expect(header).toEqual(['id', 'regionId', 'headName', 'phone', 'members', 'tags', 'tagsLabel', 'createdAt', 'updatedAt']);
    expect(rows.map((r) => [r[5], r[6]])).toEqual([
      ['ELDERLY_ALONE,LOW_INCOME', '独居老人、低保'],
      ['', ''],
    ]);
    const surveys = ndjson(await (await get('/survey_responses?labels=1')).text());
    expect(surveys.map((s) => [s.channel, s.channelLabel, s.resolved, s.resolvedLabel])).toEqual([
      ['PHONE_CALLBACK', '电话回访', 'YES', '已解决'],
      ['ONLINE', '网上', null, null],
    ]);
    const issues = ndjson(await (await get('/issues?labels=true')).text());
    expect(issues.map((i) => [i.id, i.channelLabel])).toEqual([
      ['x-i2', '网上诉求'],
      ['x-i1', '走访发现'],
    ]);
  });

  it('serves issue_facts: the issue, its derived state and the hours computed from it', async () => {
    const rows = ndjson(await (await get('/issue_facts')).text());
    expect(rows.map((r) => r.id)).toEqual(['x-i2', 'x-i1']);
    expect(rows[1]).toMatchObject({
      id: 'x-i1',
      status: 'RESOLVED',
      closed: true,
      unitResolved: true,
      firstResponseAt: '2025-03-16T03:00:00.000Z',
      resolvedAt: '2025-03-16T03:00:00.000Z',
      transferCount: 0,
      reopenCount: 0,
      departmentId: 'x-d1',
      residentAnswer: 'YES',
      latestScore: 4,
      hoursToFirstResponse: 25,
      hoursToResolve: 25,
      respondedInSla: false,
      onTime: true,
      stateChangedAt: '2025-03-17T02:00:00.000Z',
    });
    expect(rows[0]).toMatchObject({ id: 'x-i2', status: 'OPEN', closed: false, unitResolved: false, hoursToFirstResponse: null, hoursToResolve: null, respondedInSla: false, onTime: null });
  });

  it('answers HEAD with the headers and reads no rows', async () => {
    store().resetQueries();
    const res = await fetch(`${base}/visits?limit=1`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-next-cursor')).not.toBeNull();
    expect(await res.text()).toBe('');
    expect(store().queries.filter((q) => /SELECT .*note.* FROM/s.test(q))).toEqual([]);
  });

  it('lists the datasets at /api/extracts', async () => {
    const body = (await (await get('')).json()) as { datasets: Array<{ name: string; incremental: boolean }> };
    expect(body.datasets.map((d) => d.name)).toEqual([...EXTRACT_DATASET_NAMES]);
    expect(body.datasets.find((d) => d.name === 'daily_metrics')!.incremental).toBe(false);
  });

  it('answers an unknown dataset with 404 listing the datasets', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'NOT_FOUND',
      message: `unknown dataset "nope"; extracts exist for: ${EXTRACT_DATASET_NAMES.join(', ')}`,
      datasets: [...EXTRACT_DATASET_NAMES],
    });
  });

  it.each([
    ['/visits?format=xml', 'format must be ndjson or csv (got "xml")'],
    ['/visits?updatedSince=yesterday', 'updatedSince must be an ISO-8601 date-time with an offset'],
    ['/visits?updatedSince=2025-03-15T09:30:00', 'updatedSince must be an ISO-8601 date-time with an offset'],
    ['/visits?after=bm9wZQ', 'after is not a cursor this service issued'],
    ['/visits?after=%%%', 'after is not a cursor this service issued'],
    ['/visits?limit=0', 'limit must be a whole number from 1 to 100000 (got "0")'],
    ['/visits?limit=100001', 'limit must be a whole number from 1 to 100000 (got "100001")'],
    ['/visits?limit=2.5', 'limit must be a whole number from 1 to 100000 (got "2.5")'],
    ['/visits?limit=1&limit=2', 'limit must be given once'],
    ['/visits?labels=maybe', 'labels must be true or false (got "maybe")'],
    ['/visits?bom=true', 'bom applies to format=csv only'],
    ['/visits?updated_since=2025-01-01T00:00:00Z', 'unknown parameter(s) updated_since'],
    ['/visits?from=2025-01-01', 'from and to apply to daily_metrics only'],
    ['/daily_metrics?updatedSince=2025-01-01T00:00:00Z', 'daily_metrics is recomputed in full for a date range and is not incremental'],
    ['/daily_metrics?limit=10', 'daily_metrics is recomputed in full'],
    ['/daily_metrics?from=2025-03-10&to=2025-03-01', 'to (2025-03-01) is before from (2025-03-10)'],
    ['/daily_metrics?from=2025-02-30', 'from must be a date YYYY-MM-DD (got "2025-02-30")'],
    ['/daily_metrics?from=2000-01-01&to=2025-01-01', 'from–to covers 9133 days; at most 3660 are allowed'],
  ])('answers %s with 400 and a clear message', async (path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('BAD_USER_INPUT');
    expect(body.message).toContain(message);
  });

  it('refuses a cursor issued for another dataset', async () => {
    const cursor = (await get('/visits?limit=1')).headers.get('x-next-cursor')!;
    const res = await get(`/issues?after=${cursor}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('after is a cursor of the visits extract, not of issues');
  });

  it('refuses a cursor whose watermark lies beyond this database’s write clock', async () => {
    const forged = encodeCursor({ dataset: 'visits', position: { updatedAt: 0, id: 'a' }, watermark: Date.UTC(2999, 0, 1) });
    const res = await get(`/visits?after=${forged}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('after is not a cursor this service issued for this database');
  });

  it('accepts updatedSince with a "+" offset even when URL decoding turned it into a space', async () => {
    const res = await get('/visits?updatedSince=2026-01-02T11:04:05.678+08:00');
    expect(res.status).toBe(200);
    // The visits import was stamped IMPORTED_AT + 5 ms, after 11:04:05.678+08:00 = IMPORTED_AT.
    expect(ndjson(await res.text())).toHaveLength(2);
  });

  it('passes every row through the rowTransform hook, where masking plugs in', async () => {
    const mask: RowTransform = (row, def) => {
      const out = { ...row };
      for (const f of def.fields) if (f.personal) out[f.name] = maskValue(f.personal, out[f.name]);
      return out;
    };
    const masked = await serve(store(), { rowTransformFor: () => mask });
    try {
      const households = ndjson(await (await fetch(`${masked.base}/households`)).text());
      expect(households.map((h) => [h.headName, h.phone])).toEqual([
        ['张*', '139****4321'],
        ['欧***', null],
      ]);
      const facts = ndjson(await (await fetch(`${masked.base}/issue_facts?format=ndjson`)).text());
      expect(facts.map((f) => f.summary)).toEqual([null, null]);
      const csv = readCsv(await (await fetch(`${masked.base}/cadres?format=csv`)).text());
      expect(csv.map((r) => r[5])).toEqual(['phone', '138****5678', '']);
    } finally {
      await new Promise<void>((r) => masked.server.close(() => r()));
    }
  });
});

describeStores('extract paging and streaming', (store) => {
  let base: string;
  let server: Server;
  const N = 57;

  beforeAll(async () => {
    const importer = new ImportService(store().ds, store().config);
    // Three imports: ids interleave across stamps, so pages cross updated_at groups.
    const deps = Array.from({ length: N }, (_, i) => ({ id: `dep-${String(i).padStart(3, '0')}`, name: `部门${i}` }));
    for (let k = 0; k < 3; k++) await importer.importRecords('departments', deps.filter((_, i) => i % 3 === k), { now: Date.UTC(2026, 1, 1) + k });
    await importer.importRecords('regions', [{ id: 'bp-r', parentId: null, level: 'COUNTY', name: '县' }]);
    await importer.importRecords('cadres', [{ id: 'bp-c', name: '干部', regionId: 'bp-r', rank: 'STAFF' }]);
    const note = '民'.repeat(2700); // 8,100 bytes of UTF-8
    await importer.importRecords(
      'visits',
      Array.from({ length: 40 }, (_, i) => ({ id: `bp-v${i}`, cadreId: 'bp-c', regionId: 'bp-r', visitedAt: '2026-01-05T10:00:00+08:00', kind: 'FORUM', note })),
    );
    ({ base, server } = await serve(store()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function pages(query: string, limit: number) {
    const out: Array<{ rows: Record<string, unknown>[]; cursor: string | null; watermark: string }> = [];
    let after: string | null = null;
    do {
      const res = await fetch(`${base}/departments?limit=${limit}${query}${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      after = res.headers.get('x-next-cursor');
      out.push({ rows: ndjson(await res.text()), cursor: after, watermark: res.headers.get('x-watermark')! });
    } while (after);
    return out;
  }

  it('pages by (updatedAt, id) with X-Next-Cursor on full pages only; the pages add up to the whole extract', async () => {
    const whole = ndjson(await (await fetch(`${base}/departments`)).text());
    expect(whole).toHaveLength(N);
    const keys = whole.map((r) => `${r.updatedAt} ${r.id}`);
    expect(keys).toEqual([...keys].sort());
    for (const limit of [1, 7, 19, 20, 57, 58]) {
      const ps = await pages('', limit);
      expect(ps.flatMap((p) => p.rows)).toEqual(whole);
      expect(ps.map((p) => p.rows.length)).toEqual([
        ...Array(Math.floor(N / limit)).fill(limit),
        ...(N % limit ? [N % limit] : [0]),
      ]);
      expect(new Set(ps.map((p) => p.watermark)).size).toBe(1);
    }
  });

  it('combines updatedSince with paging, excluding rows stamped exactly at updatedSince', async () => {
    const second = new Date(Date.UTC(2026, 1, 1) + 1).toISOString();
    const ps = await pages(`&updatedSince=${second}`, 5);
    const rows = ps.flatMap((p) => p.rows);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 2).map((i) => `dep-${String(i).padStart(3, '0')}`));
  });

  it('stops reading from the database when the client disconnects mid-stream', async () => {
    let resolveAborted!: () => void;
    const aborted = new Promise<void>((r) => (resolveAborted = r));
    const summaries: unknown[] = [];
    let chunksAsked = 0;
    const service = new ExtractService(store().ds, store().config, {
      chunkSize: 5,
      hooks: {
        beforeChunk: async (index, signal) => {
          chunksAsked = index + 1;
          // Hold the second chunk until the server has seen the client go.
          if (index === 1) await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r())));
        },
      },
    });
    const original = service.open.bind(service);
    service.open = async (...args) => {
      const h = await original(...args);
      void h.done.then((s) => {
        summaries.push(s);
        resolveAborted();
      });
      return h;
    };
    const s = await serve(store(), {}, service);
    try {
      store().resetQueries();
      const controller = new AbortController();
      const res = await fetch(`${s.base}/departments`, { signal: controller.signal });
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value).split('\n')[0]).toContain('"id":"dep-');
      controller.abort();
      await aborted;
      expect(summaries).toEqual([{ dataset: 'departments', rows: 5, chunks: 1, completed: false }]);
      expect(chunksAsked).toBe(2);
      // One chunk statement ran against departments rows; the rest of the 57 rows were never read.
      const reads = store().queries.filter((q) => /FROM [`"]?departments[`"]? WHERE/.test(q) && !q.includes('COUNT'));
      expect(reads).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => s.server.close(() => r()));
    }
  });

  it('reads no further than the consumer takes (backpressure)', async () => {
    let chunks = 0;
    const service = new ExtractService(store().ds, store().config, { chunkSize: 1, hooks: { beforeChunk: (i) => void (chunks = i + 1) } });
    const h = await service.open(extractParams('visits'));
    // A consumer that accepts one write and then never calls back.
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    h.stream.pipe(stuck);
    await new Promise((r) => setTimeout(r, 300));
    // 40 visits of 8 KB each: the 64 KiB stream buffer holds about 8, so reading stops far short of 40.
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(chunks).toBeLessThanOrEqual(12);
    h.stream.destroy();
    const summary = await h.done;
    expect(summary).toMatchObject({ completed: false, rows: chunks });
  });
});
