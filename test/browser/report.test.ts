/**
 * The monthly report page (月度通报) in a real browser (playwright-core driving Debian's Chromium):
 * rendered from the same monthlyReport the API answers, then printed to A4 PDF by Chromium
 * (`page.pdf`); the PDF's text is read back with pdf-parse (test/helpers/pdf-text.cjs, in its own
 * node process) page by page: each section starts a page, the page count is the sections', the
 * bottom three are named in the text and the screen-only toolbar is not printed. SQLite only, as
 * the other page tests. MINQING_BROWSER_SCALE (default 0.05) picks the demo county's size.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_TO } from '../../seeds/demo-county';
import { addMonths } from '../../src/analytics/months';
import { ARTIFACTS, BrowserHarness, pageGql, signIn, startHarness, watchedPage } from './browser-harness';

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');
const MONTH = addMonths(DEMO_TO.slice(0, 7), -1);
const PATH = `/dashboard/report?month=${MONTH}&level=TOWNSHIP&measure=THREE_RATE_SCORE`;
const HEADINGS = ['一、排名情况', '二、排名后三位', '三、承办单位办理情况', '四、干部履职情况', '五、逢年过节式走访'];

let h: BrowserHarness;
beforeAll(async () => {
  h = await startHarness(SCALE);
}, 600_000);
afterAll(async () => {
  await h?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The text of each page of a PDF, through pdf-parse. */
function pdfPages(pdf: Buffer, name: string): string[] {
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = JSON.parse(execFileSync(process.execPath, [join(__dirname, '..', 'helpers', 'pdf-text.cjs'), file], { maxBuffer: 64 * 1024 * 1024 }).toString()) as { total: number; pages: Array<{ num: number; text: string }> };
  expect(out.pages.map((p) => p.num)).toEqual(Array.from({ length: out.total }, (_, i) => i + 1));
  return out.pages.map((p) => p.text);
}
/** pdf.js splits lines and may space CJK runs: compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('the monthly report page', () => {
  it('renders the notice from monthlyReport and prints it to A4 PDF, a section per page, naming the bottom three', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, PATH);
    await page.waitForSelector('body[data-ready=true]');
    const { monthlyReport: api } = await pageGql(page, `query($month: String!) { monthlyReport(month: $month, level: TOWNSHIP) { title rows { region { name } } bottom { region { name } } } }`, { month: MONTH });
    expect(api.bottom.length).toBeGreaterThan(0);

    // On screen: the title, one ranking row per township, the bottom three named.
    expect(await page.locator('.notice-title').textContent()).toBe(api.title);
    expect(await page.locator('[data-section="s1"] tbody tr').count()).toBe(api.rows.length);
    const bottomText = (await page.locator('#bottom-text').textContent())!;
    for (const b of api.bottom) expect(bottomText).toContain(b.region.name);
    expect(await page.locator('#xlsx').getAttribute('href')).toBe(`/api/reports/monthly.xlsx?month=${MONTH}&level=TOWNSHIP&measure=THREE_RATE_SCORE`);
    const xlsx = await page.request.get((await page.locator('#xlsx').getAttribute('href'))!);
    expect([xlsx.status(), xlsx.headers()['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    await shot(page, 'monthly-report-screen');

    // Printed: A4 pages, the toolbar left out, every section from the second on starting a page.
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'monthly-report-print-media');
    const raw = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }), 'monthly-report');
    // Searchable text: ideographs, not the radicals a font's shared glyphs can map them to (⻘ for 青).
    expect(raw.join('').match(/[\u2E80-\u2FDF]/g)).toBeNull();
    const pages = raw.map(squash);
    const startOf = HEADINGS.map((heading) => pages.findIndex((p) => p.includes(heading)));
    expect(startOf[0]).toBe(0);
    expect(pages[0]).toContain(squash(api.title));
    for (let i = 1; i < HEADINGS.length; i++) {
      expect(startOf[i]).toBeGreaterThan(startOf[i - 1]);
      expect(pages[startOf[i]].startsWith(HEADINGS[i])).toBe(true);
    }
    // At this scale every section fits its page: the sections are the pages.
    expect(pages).toHaveLength(HEADINGS.length);
    for (const b of api.bottom) expect(pages[startOf[1]]).toContain(squash(b.region.name));
    expect(pages.join('')).not.toContain('下载Excel');
    expect(pages.at(-1)).toContain('群众诉求办理工作领导小组办公室');

    expect(watch.offsite).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('switches to English and back, and shows a published version with its publisher', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, PATH);
    await page.waitForSelector('body[data-ready=true]');
    await page.click('#lang-toggle');
    expect(await page.locator('.notice-title').textContent()).toMatch(/^Notice on the handling of residents’ appeals, /);
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await shot(page, 'monthly-report-en');
    await page.click('#lang-toggle');
    expect(await page.locator('.notice-title').textContent()).toMatch(/^关于.+群众诉求办理情况的通报$/);

    // The signed-in user is an ADMIN: publish (the page asks first), then read the version.
    page.once('dialog', (d) => d.accept());
    await page.click('#publish');
    await page.waitForURL((u) => u.searchParams.get('version') === '1');
    await page.waitForSelector('body[data-ready=true]');
    expect(await page.locator('.issue-line').textContent()).toContain('第1版');
    expect(await page.locator('#publish').isHidden()).toBe(true);
    expect(await page.locator('#r-version').inputValue()).toBe('1');
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('says what is wrong with a bad month instead of a blank page', async () => {
    const { context, page } = await watchedPage(h);
    await signIn(page, '/dashboard/report?month=2026-13&level=TOWNSHIP');
    await page.waitForSelector('body[data-ready=error]');
    expect(await page.locator('#status').textContent()).toContain('2026-13');
    expect(await page.locator('#notice').isHidden()).toBe(true);
    await context.close();
  });
});
