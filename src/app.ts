import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Express } from 'express';
import { authenticate, cookieQueriesNeedPreflight, extractMaskFor, rateLimitPerPrincipal, requireExtractor, requireReader, requireSignedIn, requireWriter, authOf } from './http/auth.middleware';
import { authRoutes } from './http/auth.routes';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { AuthService } from './auth/auth.service';
import { Context, contextFor } from './graphql/context';
import { formatError } from './graphql/errors';
import { auditPlugin } from './graphql/audit.plugin';
import { costLimitPlugin, limitRules } from './graphql/limits';
import { installStatementTimeout } from './database/session-settings';
import { buildMinqingSchema } from './graphql/schema';
import { extractRoutes } from './http/extract.routes';
import { healthRoutes } from './http/health.routes';
import { opsRoutes, ServiceMetrics } from './http/ops.routes';
import { reenterRequestScope, requestIdOf, requestLogging, requestLogOf } from './http/request-id';
import { importRoutes } from './http/import.routes';
import { exportRoutes } from './http/export.routes';
import { reportRoutes } from './http/report.routes';
import { recordRoutes } from './http/records.routes';
import { restErrors } from './http/rest-errors';
import type { Config } from './config';
import type { DataSource } from 'typeorm';
import type { Logger } from './logger';
import { canExtractDataset, scopeOf } from './domain/access';
import { httpActor } from './domain/audit';
import { createServices, Services } from './services';

export interface AppDeps {
  config: Readonly<Config>;
  dataSource: DataSource;
  log: Logger;
  /** The services, when the caller built them already (createServices); built here otherwise. */
  services?: Services;
}

export interface MinqingApp {
  app: Express;
  apollo: ApolloServer<Context>;
  /** The service's own Prometheus metrics (served at /metrics). */
  metrics: ServiceMetrics;
  /** Users, tokens and sessions (tests make credentials with it). */
  auth: AuthService;
  /** The services every route and resolver shares. */
  services: Services;
  /** Stops Apollo and closes the services' Redis connections (if it built the services); the caller owns the data source and the HTTP server. */
  stop(): Promise<void>;
}

/** Builds the whole service (schema, Apollo, routes) without listening, so tests can use it. */
export async function createApp(deps: AppDeps): Promise<MinqingApp> {
  const { config, log } = deps;
  const metrics = new ServiceMetrics(deps.dataSource);
  const services = deps.services ?? createServices(config, deps.dataSource, log);
  const auth = services.auth;
  installStatementTimeout(deps.dataSource, config.limits.statementTimeoutMs, config.tmpTableMb);
  const apollo = new ApolloServer<Context>({
    schema: await buildMinqingSchema(),
    formatError: formatError((msg, err) => log.error(msg, err), { statementTimeoutMs: config.limits.statementTimeoutMs }),
    validationRules: limitRules(config.limits),
    includeStacktraceInErrorResponses: false,
    // GET queries with a Bearer token are accepted (api.md "Several processes"); cookie sessions keep
    // their CSRF protection in front of Apollo (cookieQueriesNeedPreflight, authenticate).
    csrfPrevention: false,
    // Apollo would stop itself on SIGTERM and re-raise the signal, killing the process mid-drain; serve's graceful shutdown stops it.
    stopOnTerminationSignals: false,
    // The audit plugin comes before the metrics one: an answer it withholds is counted as the error it became.
    // No cache hints: answers are per principal. Apollo's cache-control plugin would only add
    // "no-store" (set below for every /graphql response) at the price of a hook on every field.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), auditPlugin(log), metrics.apolloPlugin(), costLimitPlugin(config.limits)],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.httpMiddleware, ...requestLogging(log));
  app.use(opsRoutes(metrics, config.metricsToken));
  app.use(healthRoutes(deps.dataSource, () => services.rollups.notReady()));
  // Who is calling, then: signed in, within the rate, allowed for the route (GraphQL: per field).
  const redis = services.redis?.client ?? null;
  const perPrincipal = rateLimitPerPrincipal(config.limits.requestsPerMinute, redis, log);
  const signedIn = [authenticate(auth), requireSignedIn, perPrincipal];
  app.use(authRoutes(auth, 12 * 3600, authenticate(auth), redis));
  app.use(dashboardRoutes({ auth, dataSource: deps.dataSource, timeZone: config.reportingTimeZone }));
  const actorOf = (res: express.Response) => httpActor(authOf(res).principal!, scopeOf(authOf(res).principal!), requestIdOf(res) ?? null);
  app.use(
    '/api/extracts',
    ...signedIn,
    requireExtractor,
    extractRoutes(
      { extracts: services.extracts, config, log },
      {
        rowTransformFor: (_req, res) => extractMaskFor(res),
        actorFor: (_req, res) => actorOf(res),
        scopeFor: (_req, res) => scopeOf(authOf(res).principal!),
        mayPull: (_req, res, dataset) => canExtractDataset(authOf(res).principal!.role, dataset),
      },
    ),
  );
  app.use(
    '/api/exports',
    ...signedIn,
    exportRoutes(
      { audit: services.audit, maxBodyBytes: config.limits.maxBodyBytes, maxFieldChars: config.limits.maxFieldChars, log },
      { guard: requireReader, actorFor: (_req, res) => actorOf(res) },
    ),
  );
  // Monthly report downloads (XLSX), recorded in the audit trail before the first byte.
  app.use(
    '/api/reports',
    ...signedIn,
    reportRoutes(
      { reports: services.reports, entities: services.entities, log },
      { recordExport: (req, res, e) => services.audit.record({ kind: 'EXPORT', operation: e.operation, records: e.records, actor: actorOf(res), details: e.details }).then(() => undefined) },
    ),
  );
  // Record lists as CSV, each download recorded in the audit trail before it ends.
  app.use(
    '/api/records',
    noStore,
    ...signedIn,
    recordRoutes({
      records: services.records,
      log,
      recordExport: (_req, res, e) => services.audit.record({ kind: 'EXPORT', operation: e.operation, records: e.records, actor: actorOf(res), details: e.details }).then(() => undefined),
    }),
  );
  app.use('/api/import', ...signedIn, importRoutes({ importer: services.importer, maxBodyBytes: config.limits.maxBodyBytes, log }, { guard: requireWriter }));
  app.use(
    '/graphql',
    noStore,
    ...signedIn,
    cookieQueriesNeedPreflight,
    express.json({ limit: config.limits.maxBodyBytes }),
    restErrors({ log, what: 'GraphQL request', tooLarge: { code: 'QUERY_TOO_COMPLEX', message: `the request body is larger than ${config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES)` } }),
    reenterRequestScope,
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor(services, requestLogOf(res, log), authOf(res).principal!, requestIdOf(res) ?? undefined),
    }),
  );
  // Anything a route let through: masked as INTERNAL_SERVER_ERROR (logged with the request id), never Express's HTML stack page.
  app.use(restErrors({ log, what: 'HTTP request' }));
  const stop = async () => {
    await apollo.stop();
    // Services the caller built are the caller's to close.
    if (!deps.services) await services.close();
  };
  return { app, apollo, metrics, auth, services, stop };
}

/** Answers hold residents' data for one principal: no browser or proxy may keep them (GET queries included). */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
