import { localDaySql } from '../../../src/analytics/buckets';
import { Calendar } from '../../../src/analytics/calendar';
import { dialectOf } from '../../../src/database/dialect';
import { describeStores } from '../../helpers/stores';

describeStores('dialect', (store) => {
  const d = () => dialectOf(store().ds);
  const one = async (expr: string) => Object.values((await store().ds.query(`SELECT ${expr} AS v`))[0] as Record<string, unknown>)[0];

  it('greatest and least pick the larger and the smaller value', async () => {
    expect(Number(await one(d().greatest('3', '7')))).toBe(7);
    expect(Number(await one(d().least('3', '7')))).toBe(3);
  });

  it('concat joins two strings, a column’s prefix and a literal included', async () => {
    expect(await one(d().concat("SUBSTR('2026-05-17', 1, 4)", "'-12'"))).toBe('2026-12');
  });

  it('dayAfter gives the next date across month, year and leap-day ends, and null for null', async () => {
    const cases: Array<[string, string]> = [['2025-01-31', '2025-02-01'], ['2024-02-28', '2024-02-29'], ['2024-02-29', '2024-03-01'], ['2025-02-28', '2025-03-01'], ['2025-12-31', '2026-01-01'], ['2025-06-15', '2025-06-16']];
    for (const [day, next] of cases) expect(await one(d().dayAfter(`'${day}'`))).toBe(next);
    expect(await one(d().dayAfter('NULL'))).toBeNull();
  });

  it('rowsTable builds a derived table of literal rows with named columns, NULLs and bigints included', async () => {
    const rows = [["'2025-03-01'", '1741017600000', '-8640000000000000'], ['NULL', '2', '3']];
    const sql = `SELECT t.period, t.s, t.e FROM (${d().rowsTable(['period', 's', 'e'], rows)}) t ORDER BY t.s`;
    const got = (await store().ds.query(sql)) as Array<{ period: string | null; s: unknown; e: unknown }>;
    expect(got.map((r) => [r.period, Number(r.s), Number(r.e)])).toEqual([[null, 2, 3], ['2025-03-01', 1741017600000, -8640000000000000]]);
  });

  it('rowsTable takes more rows than SQLite’s 500-term compound SELECT limit, and none', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => [String(i)]);
    const [{ n, total }] = await store().ds.query(`SELECT COUNT(*) AS n, SUM(t.k) AS total FROM (${d().rowsTable(['k'], many)}) t`);
    expect([Number(n), Number(total)]).toEqual([1200, (1199 * 1200) / 2]);
    const [{ none }] = await store().ds.query(`SELECT COUNT(*) AS none FROM (${d().rowsTable(['k', 'j'], [])}) t`);
    expect(Number(none)).toBe(0);
  });

  it('updateFrom sets matched rows only, from parameters, ids compared exactly, NULLs written', async () => {
    const { ds } = store();
    const bin = d().kind === 'mysql' ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : '';
    await ds.query(`CREATE TABLE upd_t (id VARCHAR(10)${bin} PRIMARY KEY, n INT NULL, s VARCHAR(10) NULL, at BIGINT NULL)`);
    await ds.query("INSERT INTO upd_t (id, n, s, at) VALUES ('a', 1, 'x', 5), ('A', 2, 'y', 6), ('b', 3, 'z', 7)");
    // The first source row carries NULLs: the derived table's types must still take the later values.
    const rows = [
      ['a', null, null],
      ['b', 30, 'zz'],
      ['nope', 9, 'q'],
    ];
    const source = d().rowsTable(['id', 'n', 's'], rows.map((r) => r.map(() => '?')));
    await ds.query(d().updateFrom('upd_t', source, 'id', ['n', 's'], 'at = 1764000000000'), rows.flat());
    const got = await ds.query('SELECT id, n, s, at FROM upd_t ORDER BY id');
    expect(got.map((r: Record<string, unknown>) => [r.id, r.n === null ? null : Number(r.n), r.s, Number(r.at)])).toEqual([
      ['A', 2, 'y', 6], // not 'a': ids compare exactly
      ['a', null, null, 1764000000000],
      ['b', 30, 'zz', 1764000000000],
    ]);
    await ds.query('DROP TABLE upd_t');
  });

  it('localDaySql gives the local day luxon gives, at every offset transition and around it, in zones with DST, half-hour and 45-minute offsets', async () => {
    const calendar = new Calendar([]);
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'Australia/Lord_Howe'];
    for (const zone of zones) {
      // Every transition since 1985 (Shanghai's DST 1986–1991 included) until 2031, ±1 ms, ±1 h and ±1 day; and local midnights.
      const instants = new Set<number>([0, 1, 86_399_999, 86_400_000]);
      for (const p of calendar.offsetPieces(zone)) {
        if (!Number.isFinite(p.fromMs) || p.fromMs < 473_385_600_000 || p.fromMs > 1_924_992_000_000) continue;
        for (const d of [-86_400_000, -3_600_000, -1, 0, 1, 3_600_000, 86_400_000]) instants.add(p.fromMs + d);
      }
      for (const day of ['2024-12-31', '2025-01-01', '2025-03-30', '2025-10-26', '2026-11-01', '2099-12-31']) {
        const start = calendar.startOfDay(day, zone);
        for (const d of [-1, 0, 1]) instants.add(start + d);
      }
      const list = [...instants].sort((a, b) => a - b);
      const rows = list.map((ms) => [String(ms)]);
      const sql = `SELECT t.ms, ${localDaySql('t.ms', zone, calendar, d())} AS day FROM (${d().rowsTable(['ms'], rows)}) t ORDER BY t.ms`;
      const got = (await store().ds.query(sql)) as Array<{ ms: unknown; day: unknown }>;
      expect(got.map((r) => [Number(r.ms), String(r.day)])).toEqual(list.map((ms) => [ms, calendar.localDay(ms, zone)]));
    }
  });

  it('offsetPieces: Asia/Shanghai has its 1986–1991 DST and nothing since; a DST zone two transitions a year', () => {
    const calendar = new Calendar([]);
    const shanghai = calendar.offsetPieces('Asia/Shanghai');
    expect(shanghai.length).toBe(13);
    expect(shanghai[shanghai.length - 1]).toEqual({ fromMs: Date.parse('1991-09-14T17:00:00Z'), offsetMs: 8 * 3_600_000 });
    const berlin = calendar.offsetPieces('Europe/Berlin').filter((p) => p.fromMs >= Date.parse('2025-01-01') && p.fromMs < Date.parse('2026-01-01'));
    expect(berlin).toEqual([
      { fromMs: Date.parse('2025-03-30T01:00:00Z'), offsetMs: 2 * 3_600_000 },
      { fromMs: Date.parse('2025-10-26T01:00:00Z'), offsetMs: 3_600_000 },
    ]);
  });
});
