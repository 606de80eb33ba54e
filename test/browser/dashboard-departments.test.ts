/**
 * The dashboard's ranking measure selector with the change against the month before, and the
 * department panel (承办单位), in Chromium; every number compared with the API's answer for the
 * same filter. SQLite only, as the other page tests. MINQING_BROWSER_SCALE (default 0.05).
 */
import { join } from 'node:path';
import { DEMO_TO } from '../../seeds/demo-county';
import { addMonths, monthRange } from '../../src/analytics/months';
import { ARTIFACTS, BrowserHarness, pageGql, signIn, startHarness, watchedPage } from './browser-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Q = require('../../src/dashboard/assets/dashboard-queries.js') as { REGIONS: string; ISSUES: string };

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');
// A whole month inside the demo's two years, so the month before has data too.
const { from: FROM, to: TO } = monthRange(addMonths(DEMO_TO.slice(0, 7), -1));
const FILTER = { from: FROM, to: TO };

let h: BrowserHarness;
beforeAll(async () => {
  h = await startHarness(SCALE);
}, 600_000);
afterAll(async () => {
  await h?.close();
});

interface MV {
  value: number | null;
  suppressed: boolean;
  numerator: number | null;
  denominator: number | null;
}
const pct = (mv: MV) => (mv.suppressed ? '样本不足' : mv.value === null ? '—' : `${(mv.value * 100).toFixed(1)}%`);
const change = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '→');
const cells = (page: import('playwright-core').Page, selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows: any[]) => rows.map((r) => Array.from(r.children as any[], (c) => String(c.textContent ?? '').trim())));

describe('dashboard ranking by any measure and the department panel', () => {
  it('ranks by the measure chosen (lower is better first), with the place the month before', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, `/dashboard?from=${FROM}&to=${TO}`);
    await page.waitForSelector('body[data-ready="true"]');
    const options = await page.$$eval('#ranking-measure option', (os: any[]) => os.map((o) => o.value));
    expect(options).toContain('THREE_RATE_SCORE');
    expect(options).toContain('FALSE_CLOSURE_RATE');
    expect(options).toHaveLength(30); // every catalogue measure groups by REGION today
    await page.selectOption('#ranking-measure', 'FALSE_CLOSURE_RATE');
    await page.waitForURL((u) => u.searchParams.get('measure') === 'FALSE_CLOSURE_RATE');
    await page.waitForSelector('body[data-ready="true"]');
    const { dashboard } = await pageGql(page, Q.REGIONS, { filter: FILTER, level: 'TOWNSHIP', measure: 'FALSE_CLOSURE_RATE' });
    const ranking = dashboard.ranking;
    const valued = ranking.filter((e: any) => e.value.value !== null).map((e: any) => e.value.value);
    expect(valued).toEqual([...valued].sort((a: number, b: number) => a - b)); // lower is better: smallest first
    expect(await page.locator('#ranking-table th').nth(2).textContent()).toBe('报喜不报忧率');
    expect(await cells(page, '#ranking-table')).toEqual(
      ranking.map((e: any) => [String(e.rank), e.region.name, pct(e.value), expect.any(String), String(e.count), String(e.tieBand), `${e.previous.rank} (${pct(e.previous.value)})`, change(e.rankChange)]),
    );
    expect(ranking.some((e: any) => e.previous.value.value !== null)).toBe(true);
    expect(await page.locator('#report-link').getAttribute('href')).toBe(`/dashboard/report?month=${FROM.slice(0, 7)}&level=TOWNSHIP&measure=FALSE_CLOSURE_RATE`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-ranking-false-closure.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the departments with the API’s numbers, ranks them by the measure chosen, and opens the issues behind a count: the list’s total is the number', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, `/dashboard?from=${FROM}&to=${TO}`);
    await page.waitForSelector('body[data-ready="true"]');
    const { dashboard } = await pageGql(page, Q.ISSUES, { filter: FILTER });
    const rows = dashboard.departments;
    expect(rows.length).toBeGreaterThan(0);
    const ratio = (mv: MV) => (mv.denominator ? `${pct(mv)} (${mv.numerator}/${mv.denominator})` : pct(mv));
    const shown = (list: any[]) =>
      list.map((r: any) => [r.rank === null ? '—' : String(r.rank), r.department ? r.department.name : '（未分派）', String(r.issues), ratio(r.transferRate), r.avgTransfers.value === null ? '—' : r.avgTransfers.value.toFixed(2), ratio(r.onTimeRate), ratio(r.falseClosureRate), ratio(r.contactedRate), r.tieBand === null ? '—' : String(r.tieBand)]);
    expect(await cells(page, '#departments-table')).toEqual(shown(rows));

    // A department's count, then its transfer rate's numerator: the drill-through list's total is the number clicked.
    const first = rows.find((r: any) => r.department && r.transferRate.numerator > 0) ?? rows.find((r: any) => r.department);
    for (const [measure, n] of [['ISSUES_RECEIVED', first.issues], ['TRANSFER_RATE', first.transferRate.numerator]] as const) {
      if (!n) continue;
      await page.locator(`#departments-table tr[data-department="${first.department.id}"] a.drill-issues[data-measure="${measure}"]`).click();
      await page.waitForSelector('#drill-panel[data-state="ready"]', { timeout: 60_000 });
      expect([measure, (await page.locator('#drill-total').textContent())!.trim()]).toEqual([measure, String(n)]);
      const input = JSON.parse(new URL(page.url()).searchParams.get('drill')!);
      expect(input).toMatchObject({ measure, part: 'NUMERATOR', from: FROM, to: TO, departmentIds: [first.department.id] });
      await page.click('#drill-close');
      await page.waitForSelector('#drill-panel', { state: 'hidden' });
    }

    await page.selectOption('#departments-rank-by', 'ON_TIME_RATE');
    await page.waitForURL((u) => u.searchParams.get('rankBy') === 'ON_TIME_RATE');
    await page.waitForSelector('body[data-ready="true"]');
    const byOnTime = (await pageGql(page, Q.ISSUES, { filter: FILTER, rankBy: 'ON_TIME_RATE' })).dashboard.departments;
    expect(byOnTime.every((r: any) => r.rankedBy === 'ON_TIME_RATE')).toBe(true);
    const onTime = byOnTime.filter((r: any) => r.rank !== null && r.onTimeRate.value !== null).map((r: any) => r.onTimeRate.value);
    expect(onTime).toEqual([...onTime].sort((a: number, b: number) => b - a)); // higher is better: largest first
    expect(await cells(page, '#departments-table')).toEqual(shown(byOnTime));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-departments.png'), fullPage: true });
    expect(watch.offsite).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });
});
