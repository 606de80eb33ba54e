import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { createApp, MinqingApp } from '../../src/app';
import { seedDatabase } from '../../src/cli/seed.command';
import { createLogger } from '../../src/logger';
import { openTestStore, TestStore } from '../helpers/stores';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export const USER = { username: 'county-leader', password: 'browser-test-pw-1' };

export interface BrowserHarness {
  store: TestStore & { dispose(): Promise<void> };
  app: MinqingApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The app on an ephemeral port over a seeded SQLite county, and a headless Chromium.
 * A missing browser is a failure, never a skip: CI must notice.
 */
export async function startHarness(scale: number): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); browser tests cannot run without it`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const store = await openTestStore('sqlite');
  await seedDatabase(store.ds, store.config, { scale });
  const app = await createApp({ config: store.config, dataSource: store.ds, log: createLogger((process.env.MINQING_BROWSER_LOG ?? 'silent') as 'silent') });
  await app.auth.createUser({ ...USER, role: 'ADMIN' });
  const server: Server = await new Promise((resolve) => {
    const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    store,
    app,
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.stop();
      await store.dispose();
    },
  };
}

/** What a page did that it must not: requests off this machine, console errors, uncaught errors. */
export interface PageWatch {
  offsite: string[];
  consoleErrors: string[];
  requests: string[];
}

/** A fresh browser context (own cookies) with a page whose every request and console error is recorded. */
export async function watchedPage(h: BrowserHarness): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await h.browser.newContext({ acceptDownloads: true, baseURL: h.baseUrl, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const watch: PageWatch = { offsite: [], consoleErrors: [], requests: [] };
  page.on('request', (req) => {
    const url = new URL(req.url());
    watch.requests.push(req.url());
    const local = url.protocol === 'blob:' || url.protocol === 'data:' || url.protocol === 'about:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (!local) watch.offsite.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => watch.consoleErrors.push(`uncaught: ${err.message}`));
  return { context, page, watch };
}

/** Signs in through the login page and waits for the page it leads to. */
export async function signIn(page: Page, next = '/dashboard', user: { username: string; password: string } = USER): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL((u) => u.pathname === next.split('?')[0]), page.click('#login-submit')]);
}

/** POST /graphql with the page's own session cookie and CSRF token, as the page does. */
export async function pageGql<T = any>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const csrf = await page.locator('meta[name="mq-csrf"]').getAttribute('content');
  const res = await page.request.post('/graphql', { headers: { 'x-csrf-token': csrf ?? '' }, data: { query, variables } });
  const json = await res.json();
  if (json.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`);
  return json.data as T;
}
