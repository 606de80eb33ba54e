import { takeWriteStamp } from '../../../src/database/write-clock';
import { ExtractService, extractParams } from '../../../src/extracts/extract.service';
import { decodeCursor } from '../../../src/extracts/extract-cursor';
import { ImportService } from '../../../src/import/import.service';
import { describeStores } from '../../helpers/stores';

interface Row {
  id: string;
  name: string;
  updatedAt: string;
}
interface Pull {
  rows: Row[];
  watermark: number;
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describeStores('exact incremental extracts', (store) => {
  let importer: ImportService;
  let service: ExtractService;
  let version = 0;

  beforeAll(() => {
    importer = new ImportService(store().ds, store().config);
    service = new ExtractService(store().ds, store().config, { chunkSize: 3 });
  });

  /** One page (or, without limit, one whole pull) through the service, as a BI tool would see it. */
  async function page(o: { since?: number | null; after?: string | null; limit?: number; svc?: ExtractService }) {
    const h = await (o.svc ?? service).open(
      extractParams('departments', { updatedSince: o.since ?? null, after: o.after ? decodeCursor(o.after) : null, limit: o.limit ?? null }),
    );
    let text = '';
    for await (const chunk of h.stream) text += chunk.toString();
    const rows = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row);
    return { rows, watermark: h.watermark, next: h.nextCursor };
  }

  /** A paged pull from `since`, running `between()` after every page. */
  async function pagedPull(since: number | null, limit: number, between: () => Promise<void>): Promise<Pull> {
    const rows: Row[] = [];
    let after: string | null = null;
    let watermark: number | null = null;
    do {
      const p = await page({ since, after, limit });
      watermark ??= p.watermark;
      expect(p.watermark).toBe(watermark); // one window for the whole paged pull
      rows.push(...p.rows);
      after = p.next;
      await between();
    } while (after);
    return { rows, watermark: watermark! };
  }

  const upsert = (records: Array<{ id: string; name: string }>) => importer.importRecords('departments', records);
  const rename = (ids: string[]) => upsert(ids.map((id) => ({ id, name: `v${++version}-${id}` })));

  async function table(): Promise<Map<string, { name: string; updatedAt: string }>> {
    const rows: Array<{ id: string; name: string; updated_at: number | string }> = await store().ds.query(
      'SELECT id, name, updated_at FROM departments',
    );
    return new Map(rows.map((r) => [r.id, { name: r.name, updatedAt: new Date(Number(r.updated_at)).toISOString() }]));
  }

  /** Each pull serves a record at most once, inside its window; replaying the pulls in order gives the table. */
  function expectExact(pulls: Array<Pull & { since: number | null }>, final: Map<string, { name: string; updatedAt: string }>) {
    const replay = new Map<string, { name: string; updatedAt: string }>();
    for (const p of pulls) {
      const ids = p.rows.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of p.rows) {
        const at = Date.parse(r.updatedAt);
        expect(at).toBeLessThanOrEqual(p.watermark);
        if (p.since !== null) expect(at).toBeGreaterThan(p.since);
        replay.set(r.id, { name: r.name, updatedAt: r.updatedAt });
      }
    }
    expect(new Map([...replay].sort())).toEqual(new Map([...final].sort()));
  }

  it('serves a transaction still in flight in the next pull, never half of it in this one', async () => {
    const ds = store().ds;
    await upsert([{ id: 'w-base', name: '基线' }]);
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    let stamp: number;
    let first: { rows: Row[]; watermark: number };
    let second: Promise<unknown> | null = null;
    let secondSettled = false;
    try {
      stamp = await takeWriteStamp(qr.manager);
      await qr.query('INSERT INTO departments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', ['w-flight-1', '在途1', stamp, stamp]);
      first = await page({});
      expect(first.watermark).toBeLessThan(stamp);
      expect(first.rows.map((r) => r.id)).toContain('w-base');
      expect(first.rows.map((r) => r.id)).not.toContain('w-flight-1');
      // Why SQLite extracts read on their own connection: TypeORM's one better-sqlite3 connection is inside
      // the writer's transaction, so a reader on it sees the uncommitted row (and the uncommitted stamp).
      const shared: unknown[] = await ds.query("SELECT id FROM departments WHERE id = 'w-flight-1'");
      expect(shared).toHaveLength(store().kind === 'sqlite' ? 1 : 0);
      if (store().kind === 'mysql') {
        // The lock claim itself: a second writer waits for the stamp row until the first commits.
        second = upsert([{ id: 'w-second', name: '后来者' }]).finally(() => (secondSettled = true));
        await new Promise((r) => setTimeout(r, 300));
        expect(secondSettled).toBe(false);
      }
      await qr.query('INSERT INTO departments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', ['w-flight-2', '在途2', stamp, stamp]);
      // Still in flight: a pull now still sees none of it and the same watermark.
      const again = await page({ since: first.watermark });
      expect(again).toEqual({ rows: [], watermark: first.watermark, next: null });
      await qr.commitTransaction();
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      await qr.release();
    }
    await second;
    const next = await page({ since: first!.watermark });
    expect(next.rows.map((r) => r.id)).toEqual(['w-flight-1', 'w-flight-2', ...(store().kind === 'mysql' ? ['w-second'] : [])]);
    expect(next.rows.slice(0, 2).map((r) => Date.parse(r.updatedAt))).toEqual([stamp!, stamp!]);
    if (store().kind === 'mysql') expect(Date.parse(next.rows[2].updatedAt)).toBeGreaterThan(stamp!);
    expect(next.watermark).toBeGreaterThanOrEqual(stamp!);
  });

  it('pulls exactly while records change between pages: nothing skipped, nothing served twice in a pull', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
    for (let k = 0; k < 3; k++) await upsert(ids.filter((_, i) => i % 3 === k).map((id) => ({ id, name: `初始-${id}` })));
    const pulls: Array<Pull & { since: number | null }> = [];
    // Pull 1 pages through everything while rows already served, rows not yet served and new rows change.
    const script1: Array<() => Promise<unknown>> = [
      () => rename(['p-00']), // served on page 1, moves above: next pull
      () => rename(['p-29', 'p-28']), // not yet served: served later in this pull? no, above the window: next pull
      () => upsert([{ id: 'a-new', name: '新增在前' }, { id: 'z-new', name: '新增在后' }]),
      () => rename(['p-00']), // twice
      () => rename(['p-15']),
    ];
    let step = 0;
    const p1 = await pagedPull(null, 4, async () => void (await script1[step++]?.()));
    pulls.push({ ...p1, since: null });
    // Rows written during pull 1 are not in it: they carry stamps above its watermark.
    for (const id of ['a-new', 'z-new']) expect(p1.rows.map((r) => r.id)).not.toContain(id);

    const script2: Array<() => Promise<unknown>> = [() => rename(['p-01', 'a-new']), () => upsert([{ id: 'm-new', name: '中途' }])];
    step = 0;
    const p2 = await pagedPull(p1.watermark, 2, async () => void (await script2[step++]?.()));
    pulls.push({ ...p2, since: p1.watermark });
    // a-new was renamed again after pull 2's first page, before that pull reached it: it moved to pull 3.
    expect(p2.rows.map((r) => r.id).sort()).toEqual(['p-00', 'p-15', 'p-28', 'p-29', 'z-new']);

    const p3 = await pagedPull(p2.watermark, 100, async () => undefined);
    pulls.push({ ...p3, since: p2.watermark });
    expect(p3.rows.map((r) => r.id).sort()).toEqual(['a-new', 'm-new', 'p-01']);
    const p4 = await pagedPull(p3.watermark, 100, async () => undefined);
    expect(p4.rows).toEqual([]);
    expectExact(pulls, await table());
  });

  it.each([1, 2, 3])('stays exact under a random mix of writes between pages and between chunks (seed %i)', async (seed) => {
    const random = rng(seed);
    const pool = (await table()).size;
    const prefix = `r${seed}-`;
    const svc = new ExtractService(store().ds, store().config, {
      chunkSize: 2,
      // Writes between the chunks of one page too, not only between pages.
      hooks: { beforeChunk: async () => void (random() < 0.3 && (await randomWrite())) },
    });
    const known: string[] = [...(await table()).keys()];
    async function randomWrite() {
      const n = 1 + Math.floor(random() * 3);
      const batch = new Map<string, string>();
      for (let k = 0; k < n; k++) {
        const id = random() < 0.4 || !known.length ? `${prefix}${Math.floor(random() * 1000)}` : known[Math.floor(random() * known.length)];
        batch.set(id, `v${++version}`);
      }
      await upsert([...batch].map(([id, name]) => ({ id, name })));
      for (const id of batch.keys()) if (!known.includes(id)) known.push(id);
    }
    const pulls: Array<Pull & { since: number | null }> = [];
    let since: number | null = null;
    for (let round = 0; round < 4; round++) {
      const rows: Row[] = [];
      let after: string | null = null;
      let watermark: number | null = null;
      do {
        const limit = 1 + Math.floor(random() * 6);
        const h = await svc.open(extractParams('departments', { updatedSince: since, after: after ? decodeCursor(after) : null, limit }));
        let text = '';
        for await (const c of h.stream) text += c.toString();
        rows.push(...text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row));
        watermark ??= h.watermark;
        after = h.nextCursor;
        if (random() < 0.6) await randomWrite();
      } while (after);
      pulls.push({ rows, watermark: watermark!, since });
      since = watermark;
    }
    // A last quiet pull collects what the last round's writes left.
    const last = await page({ since });
    pulls.push({ rows: last.rows, watermark: last.watermark, since });
    expectExact(pulls, await table());
    expect((await table()).size).toBeGreaterThan(pool);
  });
});
