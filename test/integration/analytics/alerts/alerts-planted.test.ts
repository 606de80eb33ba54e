import { DEMO_TO, generateDemoCounty } from '../../../../seeds/demo-county';
import { seedDatabase } from '../../../../src/cli/seed.command';
import { UNSCOPED } from '../../../../src/domain/access';
import { AlertTypes } from '../../../../src/domain/enums';
import { createServices } from '../../../../src/services';
import { describeStores } from '../../../helpers/stores';

/*
 * The worklist the demo county plants (seeds/README.md "The worklist (预警) on the last day"),
 * through the alerts service with the default thresholds, as of the demo's last second. Scale
 * 0.7 is the smallest round scale whose townships include the three planted ones (as the
 * monthly report's demo test). alerts-demo-county.test.ts proves each list equals the rules
 * applied by hand; this one proves the seed gives every list something to show, where the
 * seeds README says.
 */
const SCALE = 0.7;
const AS_OF = new Date(`${DEMO_TO}T23:59:59+08:00`);

describeStores('the demo county’s planted worklist', (store) => {
  const county = generateDemoCounty({ scale: SCALE });
  const byRole = (role: string) => county.townships.find((t) => t.role === role)!.id;
  const FESTIVAL_ONLY = byRole('FESTIVAL_ONLY'); // 龙潭镇
  const PASS_AROUND = byRole('PASS_AROUND'); // 柳溪镇
  const FALSE_CLOSURE = byRole('FALSE_CLOSURE'); // 高峰乡
  /** type → township → count. */
  let counts: Map<string, Map<string, number>>;

  beforeAll(async () => {
    await seedDatabase(store().ds, store().config, { scale: SCALE });
    const services = createServices(store().config, store().ds);
    const { alerts } = await services.alerts.list({ asOf: AS_OF }, UNSCOPED);
    const rows: Array<{ id: string; township: string }> = await store().ds.query(
      `SELECT cl.descendant_id AS id, cl.ancestor_id AS township FROM region_closure cl JOIN regions t ON t.id = cl.ancestor_id AND t.level = 'TOWNSHIP'`,
    );
    const townshipOf = new Map(rows.map((r) => [r.id, r.township]));
    counts = new Map(AlertTypes.values.map((t) => [t, new Map<string, number>()]));
    for (const a of alerts) {
      const byTownship = counts.get(a.type)!;
      const t = townshipOf.get(a.regionId) ?? '(county)';
      byTownship.set(t, (byTownship.get(t) ?? 0) + 1);
    }
  }, 600_000);

  const total = (type: string) => [...counts.get(type)!.values()].reduce((s, n) => s + n, 0);
  const of = (type: string, township: string) => counts.get(type)!.get(township) ?? 0;
  const most = (type: string) => [...counts.get(type)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];

  it('shows every alert type', () => {
    expect(AlertTypes.values.filter((t) => total(t) === 0)).toEqual([]);
  });

  it('shows the planted households calling again and again in 柳溪镇, and almost nowhere else', () => {
    // round(4 × the township's size): three planted households at this scale.
    expect(of('REPEAT_APPEALS', PASS_AROUND)).toBeGreaterThanOrEqual(3);
    expect(most('REPEAT_APPEALS')).toBe(PASS_AROUND);
  });

  it('shows the denied, not redone appeals most in 高峰乡 (报喜不报忧)', () => {
    expect(most('DENIED_NOT_REDONE')).toBe(FALSE_CLOSURE);
  });

  it('shows the cadres behind pace most in 龙潭镇 (逢年过节才走访), and the veto risks in 龙潭镇 and 高峰乡', () => {
    expect(most('BEHIND_PACE')).toBe(FESTIVAL_ONLY);
    const vetoTop2 = [...counts.get('VETO_RISK')!.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([t]) => t);
    expect(vetoTop2.sort()).toEqual([FESTIVAL_ONLY, FALSE_CLOSURE].sort());
  });
});
