import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { RequestHandler, Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The service's own metrics for operators, in Prometheus text format at `/metrics`: HTTP rate,
 * latency and errors by route and status, GraphQL operations by name and errors by code,
 * the MySQL/MariaDB pool, and Node's process metrics. One registry per app, so tests that build
 * several apps in one process do not collide.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private readonly errors: Counter<'route' | 'status'>;
  private readonly inFlight: Gauge;
  private readonly operations: Counter<'operation' | 'type'>;
  private readonly graphqlErrors: Counter<'code'>;
  private readonly operationNames = new Set<string>();

  constructor(dataSource: DataSource | null, opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'minqing_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'minqing_http_request_duration_seconds',
      help: 'Time from request to the end of the response, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.errors = new Counter({
      name: 'minqing_http_errors_total',
      help: 'Responses with a 5xx status, or whose connection closed before the response ended.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.inFlight = new Gauge({ name: 'minqing_http_requests_in_flight', help: 'Requests being served now.', registers });
    this.operations = new Counter({
      name: 'minqing_graphql_operations_total',
      help: 'GraphQL operations by operation name (anonymous when unnamed, other past 200 names) and type.',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'minqing_graphql_errors_total',
      help: 'GraphQL errors sent, by extensions.code.',
      labelNames: ['code'],
      registers,
    });
    if (dataSource) registerPoolGauges(this.registry, dataSource);
  }

  /** Express middleware, mounted first: times every request and counts it when the response ends. */
  readonly httpMiddleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    const route = routeLabel(req.path);
    this.inFlight.inc();
    let done = false;
    const end = (aborted: boolean) => {
      if (done) return;
      done = true;
      this.inFlight.dec();
      const status = aborted && !res.writableFinished ? 'aborted' : String(res.statusCode);
      const labels = { method: req.method, route, status };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      if (status === 'aborted' || res.statusCode >= 500) this.errors.inc({ route, status });
    };
    res.once('finish', () => end(false));
    res.once('close', () => end(true));
    next();
  };

  /** Apollo plugin: counts operations by name and type, and sent errors by code. */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        willSendResponse: async (rc) => {
          this.operations.inc({ operation: this.operationLabel(rc.operationName ?? rc.request.operationName), type: rc.operation?.operation ?? 'invalid' });
          const body = rc.response.body;
          if (body.kind === 'single') {
            for (const e of body.singleResult.errors ?? []) this.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN').slice(0, 40) });
          }
        },
      }),
    };
  }

  /** Operation names come from callers: keep the label set bounded and printable. */
  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= 200) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

const FIXED_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/graphiql', '/dashboard', '/auth/login', '/auth/logout', '/auth/me', '/api/extracts', '/api/import', '/api/exports/csv']);

/** A bounded route label: known paths as they are, datasets as `:dataset`, assets by folder, the rest `other`. */
export function routeLabel(path: string): string {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (FIXED_ROUTES.has(p)) return p;
  const m = /^\/api\/(import|extracts)\/[^/]+$/.exec(p);
  if (m) return `/api/${m[1]}/:dataset`;
  const dir = /^\/(dashboard|graphiql)\//.exec(p);
  if (dir) return `/${dir[1]}/*`;
  return 'other';
}

interface MysqlPoolLike {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/** Pool gauges read from mysql2's pool at scrape time (private fields: absent ones read as no value). */
function registerPoolGauges(registry: Registry, ds: DataSource): void {
  const pools = (): MysqlPoolLike[] => {
    const driver = ds.driver as unknown as { pool?: MysqlPoolLike; poolCluster?: { _nodes?: Record<string, { pool: MysqlPoolLike }> } };
    if (driver.pool) return [driver.pool];
    return Object.values(driver.poolCluster?._nodes ?? {}).map((n) => n.pool);
  };
  const gauge = (name: string, help: string, read: (p: MysqlPoolLike) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (!ds.isInitialized) return;
        const values = pools().map(read).filter((v): v is number => typeof v === 'number');
        if (values.length) this.set(values.reduce((a, b) => a + b, 0));
      },
    });
  gauge('minqing_db_pool_connections', 'Open database connections (MySQL/MariaDB; all pools summed).', (p) => p._allConnections?.length);
  gauge('minqing_db_pool_connections_idle', 'Idle database connections.', (p) => p._freeConnections?.length);
  gauge('minqing_db_pool_connections_in_use', 'Database connections running a statement or transaction.', (p) =>
    p._allConnections && p._freeConnections ? p._allConnections.length - p._freeConnections.length : undefined,
  );
  gauge('minqing_db_pool_waiting', 'Requests waiting for a free database connection.', (p) => p._connectionQueue?.length);
  gauge('minqing_db_pool_max', 'Largest number of connections the pool opens.', (p) => p.config?.connectionLimit);
}

/**
 * `GET /metrics`. Open on the service port, as Prometheus usually scrapes; when METRICS_TOKEN
 * is set the scraper must send `Authorization: Bearer <token>` (401 otherwise).
 */
export function opsRoutes(metrics: ServiceMetrics, token: string | null): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    if (token !== null && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: 'UNAUTHENTICATED', message: 'this endpoint needs Authorization: Bearer <METRICS_TOKEN>' });
      return;
    }
    res.set('Content-Type', metrics.registry.contentType);
    res.set('Cache-Control', 'no-store');
    res.send(await metrics.registry.metrics());
  });
  return r;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
