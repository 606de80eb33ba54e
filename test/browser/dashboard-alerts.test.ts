/**
 * The dashboard's worklist (预警) in Chromium: the badge shows the API's countsByType for the
 * page's region, the list is oldest first and pages on with "more", and each alert opens its
 * record view (the household card at the or pairing's row, the cadre ledger, or the
 * appeal on its own). SQLite only, as the other page tests. MINQING_BROWSER_SCALE (default 0.05).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_TO } from '../../seeds/demo-county';
import { ARTIFACTS, BrowserHarness, pageGql, PageWatch, signIn, startHarness, watchedPage } from './browser-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Q = require('../../src/dashboard/assets/dashboard-queries.js') as { ALERTS: string; ALERTS_PAGE: number };

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');
const RANGE = `from=${DEMO_TO.slice(0, 4)}-01-01&to=${DEMO_TO}`;
const TYPES: Record<string, [string, string]> = {
  OVERDUE: ['超期', 'Overdue'],
  DUE_SOON: ['临期', 'Due soon'],
  DENIED_NOT_REDONE: ['群众不认可未重办', 'Denied, not redone'],
  SILENT_PAIRING: ['结对不联系', 'Silent pairing'],
  BEHIND_PACE: ['驻村进度落后', 'Behind pace'],
  VETO_RISK: ['满意度否决风险', 'Veto risk'],
  REPEAT_APPEALS: ['重复诉求', 'Repeat appeals'],
};

interface AlertNode {
  id: string;
  type: string;
  subjectId: string;
  since: string;
  subject: { __typename: string; household?: { id: string } | null; pairedHousehold?: { id: string } } | null;
}
interface AlertConnection {
  totalCount: number;
  asOf: string;
  countsByType: Array<{ type: string; count: number }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: AlertNode }>;
}

let h: BrowserHarness;
let page: Page;
let watch: PageWatch;
let close: () => Promise<void>;
beforeAll(async () => {
  h = await startHarness(SCALE);
  const w = await watchedPage(h);
  ({ page, watch } = w);
  close = () => w.context.close();
  await signIn(page, `/dashboard?${RANGE}`);
}, 600_000);
afterAll(async () => {
  await close?.();
  await h?.close();
});

const ready = () => page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
const alerts = async (regionId: string | null, more: { after?: string; asOf?: string; types?: string[] } = {}): Promise<AlertConnection> =>
  (await pageGql(page, Q.ALERTS, { regionId, first: Q.ALERTS_PAGE, ...more })).alerts;
/** The asOf the page's worklist answered for (later pages and a chosen type keep it). */
const pageAsOf = async () => (await page.locator('#alerts-note').getAttribute('data-as-of'))!;
/** The badge as drawn: type → count, and the total. */
const badge = async () => ({
  counts: Object.fromEntries(await page.$$eval('#alerts-badges .alert-badge', (bs: any[]) => bs.map((b) => [b.dataset.type, Number(b.querySelector('.alert-badge-count').textContent)]))),
  total: Number(await page.locator('#alerts-badges .alert-total').getAttribute('data-count')),
});
const rows = () => page.$$eval('#alerts-table tbody tr', (rs: any[]) => rs.map((r) => ({ id: r.dataset.alert, type: r.dataset.type, since: r.dataset.since })));
const expected = (conn: AlertConnection) => Object.fromEntries(Object.keys(TYPES).map((t) => [t, conn.countsByType.find((c) => c.type === t)?.count ?? 0]));

describe('dashboard worklist (预警)', () => {
  it('badges the API’s counts per type for the county, lists the oldest first and pages on', async () => {
    await page.goto(`/dashboard?${RANGE}`);
    await ready();
    const conn = await alerts(null);
    expect(conn.totalCount).toBeGreaterThan(0);
    expect(await badge()).toEqual({ counts: expected(conn), total: conn.totalCount });
    expect(conn.countsByType.reduce((s, c) => s + c.count, 0)).toBe(conn.totalCount);
    // Chinese first: the badge names every type.
    expect(await page.$$eval('#alerts-badges .alert-badge-label', (ls: any[]) => ls.map((l) => l.textContent))).toEqual(Object.values(TYPES).map((l) => l[0]));
    const first = await rows();
    expect(first.map((r) => r.id)).toEqual(conn.edges.map((e) => e.node.id));
    const sinces = first.map((r) => Date.parse(r.since));
    expect(sinces).toEqual([...sinces].sort((a, b) => a - b));
    await page.locator('[data-panel="alerts"]').screenshot({ path: join(ARTIFACTS, 'dashboard-alerts.png') });
    if (conn.pageInfo.hasNextPage) {
      await page.click('#alerts-more');
      await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#alerts-table tbody tr').length > n, first.length);
      const next = await alerts(null, { after: conn.pageInfo.endCursor!, asOf: await pageAsOf() });
      const both = await rows();
      expect(both.map((r) => r.id)).toEqual([...conn.edges, ...next.edges].map((e) => e.node.id));
      const all = both.map((r) => Date.parse(r.since));
      expect(all).toEqual([...all].sort((a, b) => a - b));
    }
    // A badge narrows the list to its type (as of the same instant); the badge keeps every count.
    const type = Object.keys(TYPES).find((x) => expected(conn)[x] > 0)!;
    await page.click(`#alerts-badges .alert-badge[data-type="${type}"]`);
    await page.waitForSelector(`#alerts-badges .alert-badge[data-type="${type}"][aria-pressed="true"]`);
    const only = await alerts(null, { types: [type], asOf: await pageAsOf() });
    const shown = await rows();
    expect(shown.map((r) => r.id)).toEqual(only.edges.map((e) => e.node.id));
    expect(new Set(shown.map((r) => r.type))).toEqual(new Set([type]));
    expect(await badge()).toEqual({ counts: expected(conn), total: conn.totalCount });
    await page.click('#alerts-badges .alert-total');
    await page.waitForSelector('#alerts-badges .alert-total[aria-pressed="true"]');
    // All types again, with the pages already loaded.
    expect((await rows()).map((r) => r.id).slice(0, conn.edges.length)).toEqual(conn.edges.map((e) => e.node.id));
    expect(watch.consoleErrors).toEqual([]);
  });

  it('follows the page’s region: a township’s badge is the API’s for that township', async () => {
    const county = await pageGql(page, '{ regions(level: TOWNSHIP, first: 50) { edges { node { id } } } }');
    for (const { node } of county.regions.edges.slice(0, 2)) {
      await page.goto(`/dashboard?region=${node.id}&level=VILLAGE&${RANGE}`);
      await ready();
      const conn = await alerts(node.id);
      expect(await badge()).toEqual({ counts: expected(conn), total: conn.totalCount });
      expect((await rows()).map((r) => r.id)).toEqual(conn.edges.map((e) => e.node.id));
    }
    expect(watch.consoleErrors).toEqual([]);
  });

  it('opens each alert’s record view: household card at the row, cadre ledger, or the appeal itself', async () => {
    await page.goto(`/dashboard?${RANGE}`);
    await ready();
    // The oldest alert of every type the county has (the page's own selection, narrowed by `types`).
    const seen = new Map<string, AlertNode>();
    for (const type of Object.keys(TYPES)) {
      const conn: AlertConnection = (await pageGql(page, Q.ALERTS, { regionId: null, first: 1, types: [type] })).alerts;
      if (conn.edges.length) seen.set(type, conn.edges[0].node);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
    console.log(`worklist links checked for: ${[...seen.keys()].join(', ')}`);
    // The links as the page builds them (alerts.js target), then followed one by one.
    const hrefs: string[] = await page.evaluate((nodes: unknown[]) => nodes.map((n) => (globalThis as any).MQ_PANELS.find((p: any) => p.name === 'alerts').target(n).href), [...seen.values()] as unknown[]);
    for (const [k, a] of [...seen.values()].entries()) {
      const href = hrefs[k];
      const url = new URL(href, h.baseUrl);
      if (['OVERDUE', 'DUE_SOON', 'DENIED_NOT_REDONE'].includes(a.type)) {
        const household = a.subject?.household;
        expect(url.pathname).toBe(household ? `/dashboard/household/${household.id}` : `/dashboard/issue/${a.subjectId}`);
        if (household) expect(url.hash).toBe(`#issue-${a.subjectId}`);
      } else if (a.type === 'SILENT_PAIRING') {
        expect(url.pathname).toBe(`/dashboard/household/${a.subject!.pairedHousehold!.id}`);
        expect(url.hash).toBe(`#pairing-${a.subjectId}`);
      } else if (a.type === 'REPEAT_APPEALS') {
        expect(url.pathname).toBe(`/dashboard/household/${a.subjectId}`);
      } else {
        expect(url.pathname).toBe(`/dashboard/cadre/${a.subjectId}`);
      }
      await page.goto(href);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#record').getAttribute('data-state')).toBe('ready');
      if (url.hash) {
        // The row (or section) the link names is drawn and marked.
        expect(await page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`).getAttribute('class')).toContain('anchored');
      }
      if (url.pathname.startsWith('/dashboard/issue/')) expect(await page.locator('#issue-id').textContent()).toBe(a.subjectId);
    }
    // The types this small county lacks now, on made-up nodes: the cadre ledger, the household's
    // appeals, and the appeal's own view when it names no household.
    const made = [
      { id: 'a1', type: 'VETO_RISK', subjectId: 'C9', since: '', subject: { __typename: 'Cadre', id: 'C9', name: '某' } },
      { id: 'a2', type: 'REPEAT_APPEALS', subjectId: 'H9', since: '', subject: { __typename: 'Household', id: 'H9', headName: '某' } },
      { id: 'a3', type: 'DUE_SOON', subjectId: 'I9', since: '', subject: { __typename: 'Issue', id: 'I9', household: null } },
    ];
    await page.goto(`/dashboard?${RANGE}`);
    await ready();
    expect(await page.evaluate((nodes: unknown[]) => nodes.map((n) => (globalThis as any).MQ_PANELS.find((p: any) => p.name === 'alerts').target(n).href), made as unknown[])).toEqual([
      '/dashboard/cadre/C9', '/dashboard/household/H9#issues', '/dashboard/issue/I9',
    ]);
    // And a real click on the first item of the list opens its view.
    await page.goto(`/dashboard?${RANGE}`);
    await ready();
    const first = page.locator('#alerts-table tbody tr').first().locator('a.alert-link');
    const href = (await first.getAttribute('href'))!;
    await Promise.all([page.waitForURL((u) => u.pathname === new URL(href, h.baseUrl).pathname), first.click()]);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#record').getAttribute('data-state')).toBe('ready');
    expect(watch.consoleErrors).toEqual([]);
  });

  it('switches to English like the other panels', async () => {
    await page.goto(`/dashboard?${RANGE}&lang=en`);
    await ready();
    expect(await page.locator('[data-panel="alerts"] h2').textContent()).toBe('Worklist');
    expect(await page.$$eval('#alerts-badges .alert-badge-label', (ls: any[]) => ls.map((l) => l.textContent))).toEqual(Object.values(TYPES).map((l) => l[1]));
    await page.click('#lang-toggle');
    expect(await page.locator('[data-panel="alerts"] h2').textContent()).toBe('预警');
    expect(await page.locator('#alerts-badges .alert-badge-label').first().textContent()).toBe('超期');
  });
});
