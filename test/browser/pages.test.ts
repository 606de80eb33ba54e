/**
 * The pages in a real browser (playwright-core driving Debian's Chromium): sign-in, the dashboard
 * and GraphiQL. These run on SQLite only: the pages are store-agnostic, and the GraphQL API they
 * call is tested on both stores by the integration suites.
 * MINQING_BROWSER_SCALE (default 0.05) picks the demo county's size; 1 measures the full county.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, BrowserHarness, pageGql, signIn, startHarness, watchedPage } from './browser-harness';

const SCALE = Number(process.env.MINQING_BROWSER_SCALE ?? '0.05');

let h: BrowserHarness;

beforeAll(async () => {
  h = await startHarness(SCALE);
}, 600_000);

afterAll(async () => {
  await h?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('sign-in and page protection', () => {
  it('sends a visitor without a session to /login and back after signing in', async () => {
    const { context, page, watch } = await watchedPage(h);
    const res = await page.goto('/graphiql');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/graphiql');
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");

    await page.fill('#username', 'county-leader');
    await page.fill('#password', 'wrong password!');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    await expect(page.locator('#login-error').textContent()).resolves.toBe('用户名或密码错误');
    await shot(page, 'login-refused');

    await signIn(page, '/graphiql');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'mq_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(watch.offsite).toEqual([]);
    await context.close();
  });

  it('serves every page with a self-only Content-Security-Policy and refuses unknown vendor files', async () => {
    for (const path of ['/login', '/dashboard/assets/dashboard.js', '/dashboard/assets/vendor/echarts.common.min.js']) {
      const res = await fetch(h.baseUrl + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
    }
    expect((await fetch(`${h.baseUrl}/dashboard/assets/vendor/package.json`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/dashboard/assets/../../package.json`)).status).toBe(404);
    const page = await fetch(`${h.baseUrl}/dashboard`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fdashboard');
    // A next= pointing elsewhere is ignored: after sign-in the user lands on our dashboard.
    const login = await (await fetch(`${h.baseUrl}/login?next=https://evil.example/`)).text();
    expect(login).toContain('<meta name="mq-next" content="/dashboard">');
  });

  it('signs out from the dashboard, after which the pages send to /login again', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, '/dashboard');
    await page.waitForSelector('body[data-ready="true"]');
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('#sign-out')]);
    expect((await context.cookies()).find((c) => c.name === 'mq_session')).toBeUndefined();
    await page.goto('/dashboard');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('refuses the pages to a role that may not read (INGEST)', async () => {
    const ingest = { username: 'loader', password: 'loader-pw-12345' };
    await h.app.auth.createUser({ ...ingest, role: 'INGEST' });
    const { context, page } = await watchedPage(h);
    await page.goto('/login');
    await page.fill('#username', ingest.username);
    await page.fill('#password', ingest.password);
    const [res] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/dashboard'), page.click('#login-submit')]);
    expect(res.status()).toBe(403);
    await context.close();
  });
});

describe('GraphiQL', () => {
  it('loads from local assets, runs a saved query and shows the result', async () => {
    const { context, page, watch } = await watchedPage(h);
    await signIn(page, '/graphiql');
    await page.waitForSelector('.graphiql-container');
    const tabs = page.locator('.graphiql-tab');
    await expect(tabs.count()).resolves.toBe(4);
    // The first saved example (township ranking this month) is the open tab; run it as it stands.
    await expect(page.locator('.graphiql-tab-active').textContent()).resolves.toContain('TownshipRankingThisMonth');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => String((globalThis as any).document.querySelector('.result-window')?.textContent ?? '').includes('ranking'));
    const result = (await page.locator('.result-window').textContent()) ?? '';
    const query = (await page.locator('.graphiql-query-editor .CodeMirror').evaluate((el: any) => el.CodeMirror.getValue())) as string;
    const [, from, to] = /from: "(\d{4}-\d{2}-01)", to: "(\d{4}-\d{2}-\d{2})"/.exec(query) ?? [];
    expect(from).toBeDefined();
    const api = await pageGql(page, 'query($filter: DashboardFilter!) { dashboard(filter: $filter) { ranking(level: TOWNSHIP) { rank count region { name } } } }', { filter: { from, to } });
    expect(api.dashboard.ranking.length).toBe(3);
    for (const e of api.dashboard.ranking) expect(result).toContain(`"name": "${e.region.name}"`);
    expect(result).not.toContain('"errors"');
    await shot(page, 'graphiql');
    expect(watch.offsite).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });
});
