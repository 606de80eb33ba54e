import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse as parseCookies } from 'cookie';
import type { DataSource } from 'typeorm';
import { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { authenticate, authOf, SESSION_COOKIE } from '../http/auth.middleware';
import type { AuthService } from '../auth/auth.service';
import type { Principal } from '../domain/access';
import { canRead } from '../domain/access';
import { Measures } from '../analytics/analytics.enums';
import { CATALOGUE } from '../analytics/catalogue';
import { ALL_ENUMS } from '../domain/enums';
import { RECORD_PAGES, RecordPageKind, recordPageAccess } from './record-pages';

export interface DashboardRouteDeps {
  auth: AuthService;
  /** Reads the level of an OFFICER's region, so the page knows its ranking level without asking. */
  dataSource: DataSource;
  /** REPORTING_TIME_ZONE: the record views show instants in it. */
  timeZone?: string;
}

/**
 * Every page and asset comes from this origin: no CDN, no web fonts (the service runs on
 * intranets without internet). Inline scripts and style elements are refused, which is why
 * the pages carry their per-request values in <meta> tags rather than inline script.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The folder holding pages/ and assets/: this file's own in the sources, or found from dist/. */
function pagesRoot(): string {
  const candidates = [__dirname, resolve(__dirname, '../../../src/dashboard')];
  const dir = candidates.find((d) => existsSync(join(d, 'assets', 'dashboard.js')));
  if (!dir) throw new Error(`dashboard assets not found under ${candidates.join(' or ')}`);
  return dir;
}

const packageFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

/** Third-party files served straight from node_modules (exact names, nothing else). */
const VENDOR: Record<string, { path: string; type: string }> = {
  // The "common" build (line, bar, tooltip, legend: all the page uses) parses in ~2/3 the time of the full one.
  'echarts.common.min.js': { path: packageFile('echarts', 'dist/echarts.common.min.js'), type: 'text/javascript' },
  'graphiql.min.js': { path: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { path: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'react.production.min.js': { path: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.production.min.js': { path: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
}

/** Where to come back to after signing in: only a local path of ours, never another site. */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && /^\/(dashboard(\/report|\/(household|cadre|issue)\/[^/?\\]+)?|graphiql)(\?[^\\]*)?$/.test(raw) ? raw : '/dashboard';
}

/**
 * `/login`, `/dashboard`, `/graphiql` and `/dashboard/assets/*`. The two data pages need a
 * session: without one the browser is sent to /login and comes back afterwards.
 */
export function dashboardRoutes(deps: DashboardRouteDeps): Router {
  const r = Router();
  const root = pagesRoot();
  // Templates are read once; per request only the escaped meta values are substituted.
  const templates = new Map<string, string>();
  const template = (name: string) => {
    let t = templates.get(name);
    if (t === undefined) {
      t = readFileSync(join(root, 'pages', name), 'utf8');
      templates.set(name, t);
    }
    return t;
  };

  const render = (res: Response, name: string, values: Record<string, string>) => {
    securityHeaders(res);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(template(name).replace(/__([A-Z_]+)__/g, (m, key: string) => (key in values ? escapeHtml(values[key]) : m)));
  };

  /** Pages need a cookie session (its CSRF token goes into the page for POST /graphql). */
  const signedInPage: RequestHandler[] = [
    authenticate(deps.auth),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const { principal, via } = authOf(res);
        const session = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
        const live = principal && via === 'cookie' && session ? await deps.auth.principalFromSession(session) : null;
        if (!live) {
          res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
          return;
        }
        if (!canRead(live.principal.role)) {
          securityHeaders(res);
          res.status(403).type('text').send(`role ${live.principal.role} may not read; the dashboard and GraphiQL need a reading role`);
          return;
        }
        res.locals.page = { principal: live.principal, csrfToken: live.csrfToken };
        next();
      } catch (err) {
        next(err);
      }
    },
  ];
  const pageValues = async (res: Response): Promise<Record<string, string>> => {
    const { principal, csrfToken } = res.locals.page as { principal: Principal; csrfToken: string };
    let level = '';
    if (principal.regionId) {
      const [row] = await deps.dataSource.query('SELECT level FROM regions WHERE id = ?', [principal.regionId]);
      level = row?.level ?? '';
    }
    return { CSRF: csrfToken, USER: principal.name, ROLE: principal.role, REGION: principal.regionId ?? '', REGION_LEVEL: level, TIME_ZONE: deps.timeZone ?? 'Asia/Shanghai' };
  };
  const page = (name: string): RequestHandler => async (_req, res, next) => {
    try {
      render(res, name, await pageValues(res));
    } catch (err) {
      next(err);
    }
  };

  r.get('/login', (req, res) => render(res, 'login.html', { NEXT: safeNext(req.query.next) }));
  r.get('/dashboard', ...signedInPage, page('dashboard.html'));
  r.get('/graphiql', ...signedInPage, page('graphiql.html'));
  // The monthly report (月度通报) as a printable A4 notice.
  r.get('/dashboard/report', ...signedInPage, page('report.html'));
  // The record views; a record the caller may not open is refused here, with nothing of it.
  for (const kind of Object.keys(RECORD_PAGES) as RecordPageKind[]) {
    r.get(`/dashboard/${kind}/:id`, ...signedInPage, async (req, res, next) => {
      try {
        const id = String(req.params.id);
        const { principal } = res.locals.page as { principal: Principal };
        const access = await recordPageAccess(deps.dataSource, principal, kind, id);
        if (access !== 'ok') {
          securityHeaders(res);
          res.status(access === 'forbidden' ? 403 : 404).type('text').send(access === 'forbidden' ? `FORBIDDEN: this ${kind} is outside your region (无权查看)` : `NOT_FOUND: no ${kind} ${id} (未找到)`);
          return;
        }
        render(res, RECORD_PAGES[kind].page, { ...(await pageValues(res)), RECORD_ID: id });
      } catch (err) {
        next(err);
      }
    });
  }

  // Enum labels from the same tables the API serves, so page and API never disagree on a name.
  const labels = `window.MQ_LABELS = ${JSON.stringify({
    ...Object.fromEntries(Object.entries(ALL_ENUMS).map(([name, e]) => [name, { values: e.values, labels: e.labels }])),
    Measure: { values: Measures.values, labels: Measures.labels },
    // How the pages format and rank each measure, from the catalogue itself.
    MeasureInfo: Object.fromEntries([...CATALOGUE.values()].map((m) => [m.id, { unit: m.unit, better: m.better, regional: m.dimensions.includes('REGION') }])),
  })};\n`;
  r.get('/dashboard/assets/labels.js', (_req, res) => {
    securityHeaders(res);
    res.set('Cache-Control', 'no-cache').type('text/javascript').send(labels);
  });
  // Assets are served from memory: a read from disk would wait behind the synchronous SQLite
  // work of the page's GraphQL requests, which start before the scripts have arrived.
  const files = new Map<string, { body: Buffer; type: string; cache: string }>();
  const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };
  for (const name of readdirSync(join(root, 'assets'))) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(root, 'assets', name)), type, cache: 'no-cache' });
  }
  const serve = (res: Response, file: { body: Buffer; type: string; cache: string } | undefined, name: string) => {
    securityHeaders(res);
    if (!file) {
      res.status(404).json({ error: 'NOT_FOUND', message: `no asset ${name}` });
      return;
    }
    res.set('Cache-Control', file.cache).type(file.type).send(file.body);
  };
  r.get('/dashboard/assets/vendor/:file', (req, res) => {
    const name = req.params.file;
    const v = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
    if (v && !files.has(`vendor/${name}`)) files.set(`vendor/${name}`, { body: readFileSync(v.path), type: v.type, cache: 'public, max-age=86400' });
    serve(res, files.get(`vendor/${name}`), name);
  });
  r.get('/dashboard/assets/:file', (req, res) => serve(res, files.get(req.params.file), req.params.file));
  r.use('/dashboard/assets', (req, res) => serve(res, undefined, req.path));
  return r;
}
