import { DEMO_TO, generateDemoCounty } from '../../../../seeds/demo-county';
import { addMonths } from '../../../../src/analytics/months';
import { MonthlyReportData, MonthlyReportService } from '../../../../src/analytics/report/monthly-report.service';
import { seedDatabase } from '../../../../src/cli/seed.command';
import { UNSCOPED } from '../../../../src/domain/access';
import { createServices } from '../../../../src/services';
import { describeStores } from '../../../helpers/stores';

/*
 * The demo county's planted townships (seeds/README.md "Planted patterns") where the monthly
 * report must show them. Scale 0.7 is the smallest round scale whose ten townships include all
 * three planted roles (slots 3, 6 and 9; 0.05 has three townships, 0.1 four).
 */
const SCALE = 0.7;
/** The last whole month but one of the demo's two years, with its year-ago month inside them. */
const MONTH = addMonths(DEMO_TO.slice(0, 7), -1);
const AS_OF = new Date(`${DEMO_TO}T23:59:59+08:00`);

describeStores(`${MonthlyReportService.name} on the demo county`, (store) => {
  const county = generateDemoCounty({ scale: SCALE });
  const byRole = (role: string) => county.townships.find((t) => t.role === role)!.id;
  const FESTIVAL_ONLY = byRole('FESTIVAL_ONLY'); // 龙潭镇
  const PASS_AROUND = byRole('PASS_AROUND'); // 柳溪镇
  const FALSE_CLOSURE = byRole('FALSE_CLOSURE'); // 高峰乡
  let sut: MonthlyReportService;
  let townshipOf: Map<string, string>;

  beforeAll(async () => {
    await seedDatabase(store().ds, store().config, { scale: SCALE });
    sut = createServices(store().config, store().ds).reports;
    const rows: Array<{ id: string; township: string }> = await store().ds.query(
      `SELECT c.id, cl.ancestor_id AS township FROM cadres c
         JOIN region_closure cl ON cl.descendant_id = c.region_id JOIN regions t ON t.id = cl.ancestor_id AND t.level = 'TOWNSHIP'`,
    );
    townshipOf = new Map(rows.map((r) => [r.id, r.township]));
  }, 300_000);

  const render = (measure: string, extra: Record<string, unknown> = {}) => sut.render({ month: MONTH, level: 'TOWNSHIP', measure: measure as never, asOf: AS_OF, ...extra }, UNSCOPED);
  const last = (r: MonthlyReportData) => r.rows.filter((x) => x.value.value !== null).at(-1)!;

  it('names the pass-around and the false-closure townships at the bottom of the three-rate score', async () => {
    const r = await render('THREE_RATE_SCORE');
    expect(county.townships).toHaveLength(10);
    expect(r.rows).toHaveLength(10);
    expect(r.rows.slice(-2).map((x) => x.regionId).sort()).toEqual([PASS_AROUND, FALSE_CLOSURE].sort());
    expect(r.bottom.map((x) => x.regionId)).toEqual(expect.arrayContaining([PASS_AROUND, FALSE_CLOSURE]));
    expect(r.bottom).toHaveLength(3);
    expect(r.rows.every((x) => x.previous.value.value !== null && x.yearAgo.value.value !== null)).toBe(true);
  });

  it('ranks 高峰乡 last by false closures, 柳溪镇 last by transfers and by response rate — lower is better where the catalogue says so', async () => {
    const falseClosure = await render('FALSE_CLOSURE_RATE');
    expect(last(falseClosure).regionId).toBe(FALSE_CLOSURE);
    expect(last(falseClosure).value.value).toBeGreaterThan(0.3);
    expect(falseClosure.rows[0].value.value).toBeLessThan(0.1);
    const transfers = await render('TRANSFER_RATE');
    expect(last(transfers)).toMatchObject({ regionId: PASS_AROUND, rank: 10, value: { value: 1 } });
    const response = await render('RESPONSE_RATE');
    expect(last(response).regionId).toBe(PASS_AROUND);
    expect(last(response).value.value).toBeLessThan(0.4);
  });

  it('flags 龙潭镇 alone for festival-only visiting and finds its cadres vetoed and behind pace', async () => {
    const r = await render('THREE_RATE_SCORE');
    expect(r.festivalRegions.map((f) => f.regionId)).toEqual([FESTIVAL_ONLY]);
    expect(r.festivalRegions[0].share.value).toBeGreaterThan(0.9);
    // Residents rate the cadres of the festival-only and false-closure townships low: most vetoes are theirs.
    const vetoedIn = (t: string) => r.vetoedCadres.filter((c) => townshipOf.get(c.cadreId) === t).length;
    expect(vetoedIn(FESTIVAL_ONLY)).toBeGreaterThanOrEqual(5);
    expect(vetoedIn(FALSE_CLOSURE)).toBeGreaterThanOrEqual(5);
    expect(vetoedIn(FESTIVAL_ONLY) + vetoedIn(FALSE_CLOSURE)).toBeGreaterThan((2 / 3) * r.vetoedCadres.length);
    expect(r.vetoedCadres.every((c) => c.vetoed && c.satisfaction.value! < 0.6)).toBe(true);
    // Village stays far below quota: 龙潭镇 has the largest share of its cadres behind pace.
    const cadresIn = (t: string) => [...townshipOf.values()].filter((x) => x === t).length;
    const behindShare = (t: string) => r.behindPaceCadres.filter((c) => townshipOf.get(c.cadreId) === t).length / cadresIn(t);
    const shares = county.townships.map((t) => [t.id, behindShare(t.id)] as const).sort((a, b) => b[1] - a[1]);
    expect(shares[0][0]).toBe(FESTIVAL_ONLY);
    expect(shares[0][1]).toBeGreaterThan(0.9);
    expect(r.behindPaceCadres.every((c) => c.behindPace && c.stayDays < Math.floor(c.stayPace * 0.9 + 1e-9))).toBe(true);
  });

  it('ranks the sparse villages’ suppressed satisfaction last, after every valued village', async () => {
    const sparse = county.townships.find((t) => t.sparseVillageIds.length > 0)!;
    const r = await render('SATISFIED_RATE', { level: 'VILLAGE', regionId: sparse.id });
    const valued = r.rows.filter((x) => x.value.value !== null).length;
    for (const id of sparse.sparseVillageIds) {
      const row = r.rows.find((x) => x.regionId === id)!;
      expect(row.value).toMatchObject({ value: null, suppressed: true });
      expect(row.rank).toBe(valued + 1);
      expect(r.bottom.map((x) => x.regionId)).not.toContain(id);
    }
  });
});
