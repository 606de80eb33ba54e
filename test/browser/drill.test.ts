/**
 * Drill-through and the record views in a real browser (playwright-core driving Debian's Chromium),
 * SQLite only as the other page tests: click a number, the list shows that number as its total;
 * the list exports to CSV; the URL carries it (a link, the back button); a household card opens
 * from a row; an ANALYST's card is masked, an OFFICER cannot open a household outside its subtree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, BrowserHarness, pageGql, PageWatch, signIn, startHarness, watchedPage } from './browser-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Q = require('../../src/dashboard/assets/dashboard-queries.js') as Record<'OVERVIEW' | 'REGIONS' | 'ISSUES' | 'CADRES', string>;

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');
const FROM = '2025-11-01';
const TO = '2026-10-31';
const VIEW = `/dashboard?from=${FROM}&to=${TO}`;

let h: BrowserHarness;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  h = await startHarness(SCALE);
  ({ context, page, watch } = await watchedPage(h));
  await signIn(page);
}, 900_000);

afterAll(async () => {
  await context?.close();
  await h?.close();
});

const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const ready = (p: Page = page) => p.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
const listReady = () => page.waitForSelector('#drill-panel[data-state="ready"]', { timeout: 60_000 });
const total = async () => (await page.locator('#drill-total').textContent())!.trim();
const drillOf = () => JSON.parse(new URL(page.url()).searchParams.get('drill') ?? 'null');
/** Closes the list (it lies over the right of the dashboard). */
const closeList = async () => {
  await page.click('#drill-close');
  await page.waitForSelector('#drill-panel', { state: 'hidden' });
};
/** The integer a cell shows first ("12 / 60 ✓" → 12). */
const leading = (text: string | null) => String(Number(/^\s*(\d+)/.exec(text ?? '')?.[1]));

describe('drill-through from the dashboard', () => {
  it('opens a KPI tile’s records: the list’s total is the number on the tile', async () => {
    await page.goto(VIEW);
    await ready();
    for (const measure of ['VISITS', 'RESPONSES', 'BACKLOG']) {
      const value = (await page.locator(`.tile[data-measure="${measure}"] .tile-value`).textContent())!.trim();
      await page.click(`.tile[data-measure="${measure}"] .tile-value`);
      await listReady();
      expect([measure, await total()]).toEqual([measure, value]);
      expect(drillOf()).toMatchObject({ measure });
      if (measure === 'VISITS') await shot(page, 'drill-visits');
      await page.click('#drill-close');
      await page.waitForSelector('#drill-panel', { state: 'hidden' });
      expect(new URL(page.url()).searchParams.has('drill')).toBe(false);
    }
    // A rate's tile opens its numerator; the other count is one click away, and both are the API's.
    const o = await pageGql(page, Q.OVERVIEW, { filter: { from: FROM, to: TO }, regionId: '', withRegion: false, granularity: 'MONTH' });
    const closure = o.dashboard.overview.find((k: { measure: string }) => k.measure === 'CLOSURE_RATE').value;
    await page.click('.tile[data-measure="CLOSURE_RATE"] .tile-value');
    await listReady();
    expect(await total()).toBe(String(closure.numerator));
    await page.click('#drill-other');
    await page.waitForFunction((n) => (globalThis as any).document.querySelector('#drill-total')?.textContent === n, String(closure.denominator));
    expect(drillOf()).toMatchObject({ measure: 'CLOSURE_RATE', part: 'DENOMINATOR' });
    await page.click('#drill-close');
  });

  it('opens a ranking cell, then a household card from a row, and the back button returns', async () => {
    await page.goto(VIEW);
    await ready();
    const cell = page.locator('#ranking-table tbody tr td.drillable').nth(1); // the first row's count (responses)
    const shown = (await cell.textContent())!.trim();
    await cell.click();
    await listReady();
    expect(await total()).toBe(shown);
    expect(drillOf()).toMatchObject({ measure: 'RESPONSES' });
    // The panel names what the number was narrowed to: the township of the row.
    const township = (await page.locator('#ranking-table tbody tr').first().locator('td').nth(1).textContent())!.trim();
    expect(await page.locator('#drill-context').textContent()).toBe(`${FROM} – ${TO} · ${township}`);
    const rows = await page.locator('#drill-panel tbody tr').count();
    expect(rows).toBe(Math.min(50, Number(shown)));
    await shot(page, 'drill-ranking-responses');
    const listUrl = page.url();

    // The URL is the state: the same link in a fresh page opens the same list.
    const other = await watchedPage(h);
    await signIn(other.page, listUrl.slice(h.baseUrl.length));
    await other.page.waitForSelector('#drill-panel[data-state="ready"]', { timeout: 60_000 });
    expect(await other.page.locator('#drill-total').textContent()).toBe(shown);
    expect(other.watch.consoleErrors).toEqual([]);
    await other.context.close();

    // A row's household opens its card (民情登记卡).
    const link = page.locator('#drill-panel a.record-link[data-household]').first();
    const householdId = await link.getAttribute('data-household');
    await Promise.all([page.waitForURL((u) => u.pathname === `/dashboard/household/${householdId}`), link.click()]);
    await ready();
    expect(await page.locator('#record').getAttribute('data-state')).toBe('ready');
    const [stored] = await h.store.ds.query('SELECT head_name, phone FROM households WHERE id = ?', [householdId]);
    expect(await page.locator('#head-name').textContent()).toBe(stored.head_name);
    const card = await pageGql(page, `query($id: ID!) { household(id: $id) { visits { totalCount } issues { totalCount } surveys { totalCount } } }`, { id: householdId });
    for (const s of ['visits', 'issues', 'surveys']) {
      expect([s, await page.locator(`[data-section="${s}"] [data-total]`).getAttribute('data-total')]).toEqual([s, String(card.household[s].totalCount)]);
    }
    await shot(page, 'household-card');

    // Back: the dashboard with the list open again; back once more: the list closes, the view stays.
    await page.goBack();
    await listReady();
    expect(await total()).toBe(shown);
    await page.goBack();
    await page.waitForSelector('#drill-panel', { state: 'hidden' });
    expect(new URL(page.url()).searchParams.get('from')).toBe(FROM);
  });

  it('opens a scorecard quota cell: the cadre’s year as the scorecard counts it', async () => {
    await page.goto(VIEW);
    await ready();
    const row = page.locator('#scorecards-table tbody tr').first();
    for (const [column, measure] of [[4, 'VILLAGE_STAY_DAYS'], [5, 'PAIRED_COVERAGE'], [7, 'VISITS']] as const) {
      const cell = row.locator('td').nth(column);
      const shown = leading(await cell.textContent());
      await cell.click();
      await listReady();
      expect([measure, await total()]).toEqual([measure, shown]);
      expect(drillOf()).toMatchObject({ measure, year: 2026 });
      expect(await page.locator('#drill-panel').textContent()).not.toMatch(/null|undefined|NaN/);
      if (measure === 'VILLAGE_STAY_DAYS') await shot(page, 'drill-scorecard-stay-days');
      await page.click('#drill-close');
      await page.waitForSelector('#drill-panel', { state: 'hidden' });
    }
    // The cadre's name opens the ledger (民情台账).
    const name = (await row.locator('td').nth(1).textContent())!.trim();
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/dashboard/cadre/')), row.locator('td').nth(1).locator('a').click()]);
    await ready();
    expect(await page.locator('#cadre-name').textContent()).toBe(name);
    expect(await page.locator('[data-section="year"] dd[data-field="stayDays"]').textContent()).toMatch(/^\d+ \/ (30|60) · 进度 /);
    await shot(page, 'cadre-ledger');
  });

  it('opens trend points, category rows, backlog bands and festival flags with the panels’ numbers', async () => {
    await page.goto(VIEW);
    await ready();
    const i = await pageGql(page, Q.ISSUES, { filter: { from: FROM, to: TO } });
    const category = i.dashboard.categories[0];
    await page.locator('#categories-table tbody tr').first().locator('td').nth(1).click();
    await listReady();
    expect(await total()).toBe(String(category.received));
    await closeList();
    const band = i.dashboard.backlogAgeing.findIndex((b: { count: number }) => b.count > 0);
    await page.locator('#backlog-table tbody tr').nth(band).locator('td').nth(1).click();
    await listReady();
    expect(await total()).toBe(String(i.dashboard.backlogAgeing[band].count));
    expect(drillOf()).toMatchObject({ measure: 'BACKLOG', ageBand: i.dashboard.backlogAgeing[band].key });
    await closeList();

    const r = await pageGql(page, Q.REGIONS, { filter: { from: FROM, to: TO }, level: 'TOWNSHIP' });
    // A festival row's holiday visits, and its flag where a township visits only at festivals.
    const festival = r.dashboard.festivalVisiting;
    const row = festival.findIndex((f: { region: unknown; holidayVisits: number }) => f.region && f.holidayVisits > 0);
    await page.locator('#festival-table tbody tr').nth(row).locator('td').nth(2).click();
    await listReady();
    expect(await total()).toBe(String(festival[row].holidayVisits));
    await closeList();
    const flagged = festival.findIndex((f: { flagged: boolean }) => f.flagged);
    if (flagged >= 0) {
      await page.locator('#festival-table tbody tr').nth(flagged).locator('td').last().click();
      await listReady();
      expect(await total()).toBe(String(festival[flagged].holidayVisits));
      await closeList();
    }

    // A trend point (ECharts draws on a canvas: the chart's click hook is what a click on a point fires).
    const o = await pageGql(page, Q.OVERVIEW, { filter: { from: FROM, to: TO }, regionId: '', withRegion: false, granularity: 'MONTH' });
    await page.evaluate(() => (globalThis as any).document.dispatchEvent(new (globalThis as any).CustomEvent('mq:trend-click', { detail: { index: 2, series: 0 } })));
    await page.waitForFunction(() => new URL((globalThis as any).location.href).searchParams.get('drill')?.includes('"SATISFIED_RATE"'));
    await listReady();
    const point = o.dashboard.trend[2].values[0];
    expect(await total()).toBe(String(point.suppressed ? 0 : point.numerator));
    expect(drillOf()).toMatchObject({ from: o.dashboard.trend[2].period });
    await shot(page, 'drill-trend-point');
  });

  it('exports the whole list as CSV, not the page', async () => {
    await page.goto(VIEW);
    await ready();
    await page.click('.tile[data-measure="VISITS"] .tile-value');
    await listReady();
    const n = Number(await total());
    expect(n).toBeGreaterThan(50); // more than one page
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#drill-csv')]);
    expect(download.suggestedFilename()).toBe(`minqing-VISITS-numerator-${FROM}-${TO}.csv`);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0].split(',').slice(0, 3)).toEqual(['id', 'cadreId', 'regionId']);
    expect(lines.length - 1).toBe(n);
    // The next page of the panel appends the API's next rows.
    await page.click('#drill-more');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#drill-panel tbody tr').length > 50);
  });

  it('shows an ANALYST a masked card, and refuses an OFFICER a household outside its subtree', async () => {
    const [household] = await h.store.ds.query("SELECT h.id, h.head_name, h.region_id FROM households h WHERE h.phone IS NOT NULL AND EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.note IS NOT NULL) ORDER BY h.id LIMIT 1");
    const analyst = { username: 'county-analyst', password: 'analyst-pw-12345' };
    await h.app.auth.createUser({ ...analyst, role: 'ANALYST' });
    const a = await watchedPage(h);
    await signIn(a.page, `/dashboard/household/${household.id}`, analyst);
    await ready(a.page);
    const head = (await a.page.locator('#head-name').textContent())!;
    expect(head).toBe([...household.head_name][0] + '*'.repeat([...household.head_name].length - 1));
    expect(await a.page.locator('dd[data-field="phone"]').textContent()).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(await a.page.locator('[data-section="visits"] .withheld').count()).toBeGreaterThan(0);
    expect(await a.page.content()).not.toContain(household.head_name);
    await shot(a.page, 'household-card-analyst');
    // English, from the switch.
    await a.page.click('#lang-toggle');
    await ready(a.page);
    expect(await a.page.locator('#record-title').textContent()).toBe('Household card');
    await shot(a.page, 'household-card-analyst-english');
    expect(a.watch.offsite).toEqual([]);
    expect(a.watch.consoleErrors).toEqual([]);
    await a.context.close();

    // An OFFICER of another township.
    const [township] = await h.store.ds.query("SELECT r.id FROM regions r WHERE r.level = 'TOWNSHIP' AND NOT EXISTS (SELECT 1 FROM region_closure c WHERE c.ancestor_id = r.id AND c.descendant_id = ?) ORDER BY r.id LIMIT 1", [household.region_id]);
    const officer = { username: 'other-officer', password: 'officer-pw-12345' };
    await h.app.auth.createUser({ ...officer, role: 'OFFICER', regionId: township.id });
    const o = await watchedPage(h);
    await signIn(o.page, '/dashboard', officer);
    const res = await o.page.goto(`/dashboard/household/${household.id}`);
    expect(res?.status()).toBe(403);
    const body = await o.page.content();
    expect(body).toContain('FORBIDDEN');
    expect(body).not.toContain(household.head_name);
    // And the API refuses it too, whatever a page would do.
    const api = await o.page.request.post('/graphql', { headers: { 'x-csrf-token': '' }, data: { query: '{ household(id: "x") { id } }' } });
    expect(api.status()).toBe(403); // no CSRF token: refused before anything
    await o.page.goto('/dashboard');
    await ready(o.page);
    const answer = await o.page.evaluate(async (id) => {
      const g = globalThis as any;
      const csrf = g.document.querySelector('meta[name="mq-csrf"]').content;
      const r = await g.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ query: `{ household(id: "${id}") { headName } }` }) });
      return r.json();
    }, household.id);
    expect(answer.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(answer.data?.household ?? null).toBeNull();
    await o.context.close();
  });

  it('opens an appeal on its own (no household), and marks the row a link names on the household card', async () => {
    const [issue] = await h.store.ds.query('SELECT i.id, (SELECT COUNT(*) FROM issue_events e WHERE e.issue_id = i.id) AS events FROM issues i WHERE i.household_id IS NULL ORDER BY i.id LIMIT 1');
    await page.goto(`/dashboard/issue/${issue.id}`);
    await ready();
    expect(await page.locator('#record').getAttribute('data-state')).toBe('ready');
    expect(await page.locator('#issue-id').textContent()).toBe(issue.id);
    expect(await page.locator('dd[data-field="household"]').textContent()).toBe('—');
    expect(await page.locator('[data-section="events"] tbody tr').count()).toBe(Number(issue.events));
    await shot(page, 'issue-record');
    expect((await page.request.get('/dashboard/issue/no-such-issue')).status()).toBe(404);
    // #issue-<id> and #pairing-<id>: the worklist's links land on the row, drawn after load.
    const [appeal] = await h.store.ds.query('SELECT i.id, i.household_id FROM issues i WHERE i.household_id IS NOT NULL ORDER BY i.id LIMIT 1');
    await page.goto(`/dashboard/household/${appeal.household_id}#issue-${appeal.id}`);
    await ready();
    expect(await page.locator(`tr[id="issue-${appeal.id}"]`).getAttribute('class')).toBe('anchored');
    const [pairing] = await h.store.ds.query('SELECT p.id, p.household_id FROM pairings p ORDER BY p.id LIMIT 1');
    await page.goto(`/dashboard/household/${pairing.household_id}#pairing-${pairing.id}`);
    await ready();
    expect(await page.locator(`tr[id="pairing-${pairing.id}"]`).getAttribute('class')).toBe('anchored');
  });

  it('made no request off this machine and logged no console error', () => {
    expect(watch.requests.length).toBeGreaterThan(10);
    expect(watch.offsite).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  });
});
