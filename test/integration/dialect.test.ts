import { dialectOf } from '../../src/database/dialect';
import { describeStores } from '../helpers/stores';

describeStores('dialect', (store) => {
  const d = () => dialectOf(store().ds);
  const one = async (expr: string) => Object.values((await store().ds.query(`SELECT ${expr} AS v`))[0] as Record<string, unknown>)[0];

  it('greatest and least pick the larger and the smaller value', async () => {
    expect(Number(await one(d().greatest('3', '7')))).toBe(7);
    expect(Number(await one(d().least('3', '7')))).toBe(3);
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
});
