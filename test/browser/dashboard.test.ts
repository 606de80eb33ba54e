/**
 * The dashboard in a real browser (playwright-core driving Debian's Chromium). SQLite only: the
 * page is store-agnostic, and the GraphQL API it renders is tested on both stores elsewhere.
 * Every number shown is compared with what the API answers for the same filter.
 * MINQING_BROWSER_SCALE (default 0.05) picks the demo county's size; 1 measures the full county.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { generateDemoCounty } from '../../seeds/demo-county';
import { IssueCategories, IssueCategory } from '../../src/domain/enums';
import { ARTIFACTS, BrowserHarness, pageGql, PageWatch, signIn, startHarness, watchedPage } from './browser-harness';

// The page's own GraphQL documents: the test asks the API exactly what the page asks.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Q = require('../../src/dashboard/assets/dashboard-queries.js') as Record<'OVERVIEW' | 'REGIONS' | 'ISSUES' | 'CADRES', string> & {
  readState(search: string, home: { region: string | null; level: string | null }, now: Date): unknown;
  requestsFor(state: unknown): Record<string, { query: string; variables: Record<string, unknown> }>;
};

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');
// Twelve months inside the demo county's two years, so the previous period has data too.
const FROM = '2025-11-01';
const TO = '2026-10-31';
const FILTER = { from: FROM, to: TO };

interface MV {
  value: number | null;
  suppressed: boolean;
}
/** The page's display rules, restated: rates as percent with one decimal, suppressed cells named. */
const rate = (mv: MV, suppressed = '样本不足') => (mv.suppressed ? suppressed : mv.value === null ? '—' : `${(mv.value * 100).toFixed(1)}%`);
const KPI_FORMAT: Record<string, (v: number) => string> = {
  SATISFACTION_AVG: (v) => v.toFixed(2),
  THREE_RATE_SCORE: (v) => v.toFixed(1),
  RESPONSES: String,
  BACKLOG: String,
  VISITS: String,
};
/** metrics.md: which way is better where it is not HIGHER. */
const BETTER: Record<string, 'LOWER' | 'NONE'> = { RESPONSES: 'NONE', BACKLOG: 'LOWER', REPEAT_RATE: 'LOWER' };
const kpi = (measure: string, mv: MV) =>
  mv.suppressed ? '样本不足' : mv.value === null ? '—' : KPI_FORMAT[measure] ? KPI_FORMAT[measure](mv.value) : rate(mv);

/** RFC 4180 records (CRLF-terminated, quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') rec.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') rec.push(field), out.push(rec), (rec = []), (field = ''), i++;
    else field += ch;
  }
  if (field !== '' || rec.length) throw new Error('CSV does not end with CRLF');
  return out;
}

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

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const ready = () => page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
// Callbacks run in the page (DOM types are not in this project's lib, hence `any`).
const cells = (selector: string) => page.$$eval(`${selector} tbody tr`, (rows: any[]) => rows.map((r) => Array.from(r.children as any[], (c) => String(c.textContent ?? '').trim())));
const errorPanels = () => page.$$eval('[data-panel][data-state="error"]', (ps: any[]) => ps.map((p) => `${p.dataset.panel}: ${p.querySelector('.status')?.textContent}`));

describe('dashboard page', () => {
  it('measures the first load (cold browser cache, all panels rendered), three times', async () => {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const cold = await watchedPage(h);
      await signIn(cold.page, '/graphiql'); // a session that has not loaded the dashboard yet
      await cold.page.goto(`/dashboard?from=${FROM}&to=${TO}`);
      await cold.page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      runs.push(
        await cold.page.evaluate(() => {
          const g = globalThis as any;
          const nav = g.performance.getEntriesByType('navigation')[0];
          const graphql = g.performance.getEntriesByType('resource').filter((r: any) => String(r.name).endsWith('/graphql'));
          return {
            // performance.now() is measured from the start of the navigation.
            allPanelsRenderedMs: Math.round(g.MQ_TIMING.sinceNavigationMs),
            htmlMs: Math.round(nav.responseEnd),
            domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
            lastGraphqlAnswerMs: Math.round(Math.max(...graphql.map((r: any) => r.responseEnd))),
            graphqlRequests: graphql.length,
          };
        }),
      );
      expect(cold.watch.offsite).toEqual([]);
      expect(cold.watch.consoleErrors).toEqual([]);
      await cold.context.close();
    }
    // Each group's request alone, one after another (server time plus transport), to show where the time goes.
    const reqs = Q.requestsFor(Q.readState(`?from=${FROM}&to=${TO}`, { region: null, level: null }, new Date()));
    const groupAloneMs: Record<string, number> = {};
    for (const [group, body] of Object.entries(reqs)) {
      const t0 = Date.now();
      await pageGql(page, body.query, body.variables);
      groupAloneMs[group] = Date.now() - t0;
    }
    const sorted = runs.map((r) => r.allPanelsRenderedMs).sort((a, b) => a - b);
    const report = { scale: SCALE, from: FROM, to: TO, medianAllPanelsRenderedMs: sorted[1], runs, groupAloneMs };
    writeFileSync(join(ARTIFACTS, `dashboard-first-load-scale-${SCALE}.json`), JSON.stringify(report, null, 2));
    console.log(`dashboard first load: ${JSON.stringify(report)}`);
    for (const r of runs) expect(r.graphqlRequests).toBe(5); // one per panel group (the worklist has its own)
  });

  it('renders every panel with the numbers the API answers', async () => {
    await page.goto(`/dashboard?from=${FROM}&to=${TO}`);
    await ready();
    expect(await errorPanels()).toEqual([]);
    await shot('dashboard-county');

    const o = await pageGql(page, Q.OVERVIEW, { filter: FILTER, regionId: '', withRegion: false, granularity: 'MONTH' });
    expect(o.dashboard.overview.map((k: { measure: string }) => k.measure)).toEqual([
      'SATISFIED_RATE', 'SATISFACTION_AVG', 'RESPONSES', 'RESPONSE_RATE', 'RESOLUTION_RATE', 'CLOSURE_RATE', 'CONTACTED_RATE',
      'REPEAT_RATE', 'BACKLOG', 'VISITS', 'VISIT_COVERAGE', 'PAIRED_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'THREE_RATE_SCORE',
    ]);
    for (const k of o.dashboard.overview) {
      expect(await page.locator(`.tile[data-measure="${k.measure}"] .tile-value`).textContent()).toBe(kpi(k.measure, k.value));
      expect(await page.locator(`.tile[data-measure="${k.measure}"] .tile-previous`).textContent()).toBe(`上期 ${kpi(k.measure, k.previous)}`);
      // Colour and arrow by the catalogue's `better`: a rising repeat rate or backlog is bad news, RESPONSES neither.
      const better = BETTER[k.measure] ?? 'HIGHER';
      const verdict = !k.change ? 'same' : better === 'NONE' ? 'neutral' : (better === 'LOWER' ? -k.change : k.change) > 0 ? 'better' : 'worse';
      expect(await page.locator(`.tile[data-measure="${k.measure}"] .tile-change`).getAttribute('data-verdict')).toBe(verdict);
      expect(await page.locator(`.tile[data-measure="${k.measure}"] .tile-change .arrow`).allTextContents()).toEqual(k.change > 0 ? ['▲'] : k.change < 0 ? ['▼'] : []);
    }
    // The ranking panel offers every measure that groups by region, the new ones included.
    const offered = await page.$$eval('#ranking-measure option', (os: any[]) => os.map((x) => x.value));
    expect(offered).toEqual(expect.arrayContaining(['CONTACTED_RATE', 'REPEAT_RATE', 'VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE']));
    expect(await page.locator('#period-note').textContent()).toBe(`${FROM} – ${TO} · 上期 ${o.dashboard.filter.previousFrom} – ${o.dashboard.filter.previousTo}`);

    const r = await pageGql(page, Q.REGIONS, { filter: FILTER, level: 'TOWNSHIP' });
    const ranking = r.dashboard.ranking;
    expect(ranking.length).toBeGreaterThan(0);
    const change = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '→');
    expect(await cells('#ranking-table')).toEqual(
      ranking.map((e: any) => [
        e.rank === null ? '—' : String(e.rank), e.region ? e.region.name : '（上级直报）', rate(e.value), expect.any(String), String(e.count), String(e.tieBand),
        `${e.previous.rank} (${rate(e.previous.value)})`, change(e.rankChange),
      ]),
    );
    expect((await cells('#festival-table')).map((c) => c.slice(0, 4))).toEqual(
      r.dashboard.festivalVisiting.map((f: any) => [f.region ? f.region.name : '（上级直报）', String(f.visits), String(f.holidayVisits), rate(f.share)]),
    );
    expect((await cells('#falseClosure-table')).map((c) => c.slice(0, 4))).toEqual(
      r.dashboard.falseClosures.map((f: any) => [f.region ? f.region.name : '（上级直报）', String(f.unitResolvedAnswered), String(f.denied), rate(f.rate)]),
    );

    const i = await pageGql(page, Q.ISSUES, { filter: FILTER });
    expect((await cells('#categories-table')).map((c) => c.slice(1, 3))).toEqual(i.dashboard.categories.map((c: any) => [String(c.received), rate(c.closure)]));
    expect((await cells('#backlog-table')).map((c) => c[1])).toEqual(i.dashboard.backlogAgeing.map((b: any) => String(b.count)));

    const c = await pageGql(page, Q.CADRES, { year: 2026, regionId: null });
    const scoreRow = ({ node }: any) => [node.rank === null ? '—' : String(node.rank), node.cadre.name, rate(node.satisfaction), node.composite.toFixed(1), node.vetoed ? '否决' : ''];
    const shownScores = async () => (await cells('#scorecards-table')).map((row) => [row[0], row[1], row[9], row[10], row[11]]);
    expect(await shownScores()).toEqual(c.cadreScorecards.edges.map(scoreRow));
    // The next page is appended on demand, with the API's rows.
    expect(c.cadreScorecards.pageInfo.hasNextPage).toBe(true);
    await page.click('#scorecards-more');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#scorecards-table tbody tr').length > n, c.cadreScorecards.edges.length);
    const c2 = await pageGql(page, Q.CADRES, { year: 2026, regionId: null, after: c.cadreScorecards.pageInfo.endCursor });
    expect(await shownScores()).toEqual([...c.cadreScorecards.edges, ...c2.cadreScorecards.edges].map(scoreRow));
  });

  it('drills into a township by clicking it, and back up by the breadcrumb', async () => {
    await page.goto(`/dashboard?from=${FROM}&to=${TO}`);
    await ready();
    // The township with a sparsely surveyed village, so a suppressed cell must show as such.
    const sparse = generateDemoCounty({ scale: SCALE }).townships.find((t) => t.sparseVillageIds.length > 0)!;
    const target = page.locator(`#ranking-table a.drill[data-region="${sparse.id}"]`);
    const townshipId = await target.getAttribute('data-region');
    const townshipName = await target.textContent();
    await target.click();
    await page.waitForURL((u) => u.searchParams.get('region') === townshipId && u.searchParams.get('level') === 'VILLAGE');
    await ready();
    expect(await errorPanels()).toEqual([]);
    expect(await page.locator('#breadcrumb .current').textContent()).toBe(townshipName);
    const filter = { ...FILTER, regionId: townshipId };
    const r = await pageGql(page, Q.REGIONS, { filter, level: 'VILLAGE' });
    expect((await cells('#ranking-table')).map((row) => [row[1], row[2], row[4]])).toEqual(
      r.dashboard.ranking.map((e: any) => [e.region ? e.region.name : '（上级直报）', rate(e.value), String(e.count)]),
    );
    const o = await pageGql(page, Q.OVERVIEW, { filter, regionId: townshipId, withRegion: true, granularity: 'MONTH' });
    const satisfied = o.dashboard.overview.find((k: any) => k.measure === 'SATISFIED_RATE');
    expect(await page.locator('.tile[data-measure="SATISFIED_RATE"] .tile-value').textContent()).toBe(kpi('SATISFIED_RATE', satisfied.value));
    const suppressed = r.dashboard.ranking.filter((e: any) => e.value.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const e of suppressed) {
      const row = page.locator(`#ranking-table tr[data-region="${e.region.id}"]`);
      expect(await row.locator('td').nth(2).textContent()).toBe('样本不足');
      expect(e.rank).toBe(r.dashboard.ranking.length - suppressed.length + 1);
    }
    await shot('dashboard-township');

    // The URL is the state: opening it afresh shows the same township.
    const shared = page.url();
    await page.goto(shared);
    await ready();
    expect(await page.locator('#breadcrumb .current').textContent()).toBe(townshipName);

    await page.locator('#breadcrumb a.crumb').first().click();
    await page.waitForURL((u) => u.searchParams.get('level') === 'TOWNSHIP');
    await ready();
    expect(await page.locator('#ranking-table a.drill').count()).toBeGreaterThan(0);
  });

  it('filters by dates, category and channel, and the URL carries the filters', async () => {
    await page.goto(`/dashboard?from=${FROM}&to=${TO}`);
    await ready();
    await page.fill('#f-from', '2026-01-01');
    await page.selectOption('#f-category', 'EMPLOYMENT');
    await page.selectOption('#f-channel', 'HOTLINE');
    await page.click('#f-apply');
    await page.waitForURL((u) => u.searchParams.get('category') === 'EMPLOYMENT' && u.searchParams.get('channel') === 'HOTLINE' && u.searchParams.get('from') === '2026-01-01');
    await ready();
    expect(await errorPanels()).toEqual([]);
    const filter = { from: '2026-01-01', to: TO, categories: ['EMPLOYMENT'], channels: ['HOTLINE'] };
    const i = await pageGql(page, Q.ISSUES, { filter });
    expect((await cells('#categories-table')).map((c) => c.slice(0, 2))).toEqual(
      i.dashboard.categories.map((c: any) => [IssueCategories.labels[c.category as IssueCategory][0], String(c.received)]),
    );
    const o = await pageGql(page, Q.OVERVIEW, { filter, regionId: '', withRegion: false, granularity: 'MONTH' });
    for (const k of o.dashboard.overview) {
      expect(await page.locator(`.tile[data-measure="${k.measure}"] .tile-value`).textContent()).toBe(kpi(k.measure, k.value));
    }
    await shot('dashboard-filtered');
    await page.goto(page.url());
    await ready();
    expect(await page.inputValue('#f-from')).toBe('2026-01-01');
    expect(await page.inputValue('#f-category')).toBe('EMPLOYMENT');
    expect(await page.inputValue('#f-channel')).toBe('HOTLINE');
  });

  it('switches to English and keeps the language in the URL', async () => {
    await page.click('#lang-toggle');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Satisfaction dashboard');
    expect(await page.locator('.tile[data-measure="SATISFIED_RATE"] .tile-label').textContent()).toBe('Satisfied rate');
    await page.goto(page.url());
    await ready();
    expect(await page.locator('[data-panel="ranking"] h2').textContent()).toBe('Region ranking');
    await shot('dashboard-english');
    await page.click('#lang-toggle');
    expect(await page.locator('h1').textContent()).toBe('满意度看板');
  });

  it('downloads a panel as CSV (BOM, RFC 4180) with the API numbers', async () => {
    await page.goto(`/dashboard?from=${FROM}&to=${TO}`);
    await ready();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.csv[data-csv="ranking"]')]);
    expect(download.suggestedFilename()).toBe(`minqing-ranking-${FROM}-${TO}.csv`);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('rank,region_id,region,count,tie_band,satisfied_rate,satisfied_rate numerator,satisfied_rate denominator,satisfied_rate low,satisfied_rate high,satisfied_rate suppressed,previous_rank,previous_value,rank_change');
    const r = await pageGql(page, Q.REGIONS, { filter: FILTER, level: 'TOWNSHIP' });
    const blank = (v: unknown, s: boolean) => (s || v === null ? '' : String(v));
    expect(lines.slice(1)).toEqual(
      r.dashboard.ranking.map((e: any) =>
        [
          e.rank ?? '', e.region?.id ?? '', e.region?.name ?? '（上级直报）', e.count, e.tieBand, ...['value', 'numerator', 'denominator', 'low', 'high'].map((k) => blank(e.value[k], e.value.suppressed)), e.value.suppressed,
          e.previous.rank, blank(e.previous.value.value, e.previous.value.suppressed), e.rankChange ?? '',
        ].join(','),
      ),
    );
    // The service rendered the file and recorded the export in the audit trail first.
    const trail = await pageGql(page, '{ auditLog(first: 1) { edges { node { kind operation records } } } }', {});
    expect(trail.auditLog.edges[0].node).toEqual({ kind: 'EXPORT', operation: 'csv dashboard-ranking', records: lines.length - 1 });
  });

  it('downloads every panel as CSV, one record per row the panel shows', async () => {
    await page.goto(`/dashboard?from=${FROM}&to=${TO}`);
    await ready();
    const reqs = Q.requestsFor(Q.readState(`?from=${FROM}&to=${TO}`, { region: null, level: null }, new Date()));
    const o = await pageGql(page, reqs.overview.query, reqs.overview.variables);
    const r = await pageGql(page, reqs.regions.query, reqs.regions.variables);
    const i = await pageGql(page, reqs.issues.query, reqs.issues.variables);
    const c = await pageGql(page, reqs.cadres.query, reqs.cadres.variables);
    const expected: Record<string, number> = {
      overview: o.dashboard.overview.length,
      trend: o.dashboard.trend.length,
      ranking: r.dashboard.ranking.length,
      festival: r.dashboard.festivalVisiting.length,
      falseClosure: r.dashboard.falseClosures.length,
      categories: i.dashboard.categories.length,
      backlog: i.dashboard.backlogAgeing.length,
      departments: i.dashboard.departments.length,
      scorecards: c.cadreScorecards.edges.length,
    };
    expect(o.dashboard.trend.length).toBe(12);
    for (const [panel, rows] of Object.entries(expected)) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button.csv[data-csv="${panel}"]`)]);
      const text = readFileSync((await download.path())!, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const records = parseCsv(text.slice(1));
      expect({ panel, records: records.length }).toEqual({ panel, records: rows + 1 });
      for (const rec of records) expect(rec.length).toBe(records[0].length);
    }
  });

  it('shows an OFFICER their own subtree only, with no way up', async () => {
    const [township] = await h.store.ds.query("SELECT id, name FROM regions WHERE level = 'TOWNSHIP' ORDER BY id LIMIT 1");
    const officer = { username: 'township-officer', password: 'officer-pw-12345' };
    await h.app.auth.createUser({ ...officer, role: 'OFFICER', regionId: township.id });
    const o = await watchedPage(h);
    await signIn(o.page, '/dashboard', officer);
    await o.page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await o.page.locator('#breadcrumb .current').textContent()).toBe(township.name);
    expect(await o.page.locator('#breadcrumb a.crumb').count()).toBe(0);
    const villages: Array<{ name: string }> = await h.store.ds.query('SELECT name FROM regions WHERE parent_id = ? ORDER BY name', [township.id]);
    const shown = await o.page.$$eval('#ranking-table tbody tr td:nth-child(2)', (tds: any[]) => tds.map((td) => String(td.textContent ?? '').trim()));
    expect(shown.filter((n) => n !== '（上级直报）').sort()).toEqual(villages.map((v) => v.name).sort());
    await o.page.screenshot({ path: join(ARTIFACTS, 'dashboard-officer.png'), fullPage: true });
    expect(o.watch.offsite).toEqual([]);
    expect(o.watch.consoleErrors).toEqual([]);
    await o.context.close();
  });

  it('made no request off this machine and logged no console error', () => {
    expect(watch.requests.length).toBeGreaterThan(10);
    expect(watch.offsite).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  });
});
