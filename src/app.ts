import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { ErrorRequestHandler, Express } from 'express';
import {
  authenticate,
  extractMaskFor,
  rateLimitPerPrincipal,
  requireExtractor,
  requireSignedIn,
  requireWriter,
  sendError,
  authOf,
} from './auth/auth.middleware';
import { authRoutes } from './auth/auth.routes';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { AuthService } from './auth/auth.service';
import { AppDeps, Context, contextFor } from './graphql/context';
import { formatError } from './graphql/errors';
import { costLimitPlugin, installStatementTimeout, limitRules } from './graphql/limits';
import { buildMinqingSchema } from './graphql/schema';
import { extractRoutes } from './extracts/extract.routes';
import { healthRoutes } from './http/health.routes';
import { opsRoutes, ServiceMetrics } from './http/ops.routes';
import { reenterRequestScope, requestIdOf, requestLogging, requestLogOf } from './http/request-id';
import { importRoutes } from './import/import.routes';

export interface MinqingApp {
  app: Express;
  apollo: ApolloServer<Context>;
  /** The service's own Prometheus metrics (served at /metrics). */
  metrics: ServiceMetrics;
  /** Users, tokens and sessions (tests make credentials with it). */
  auth: AuthService;
  /** Stops Apollo; the caller owns the data source and the HTTP server. */
  stop(): Promise<void>;
}

/** Builds the whole service (schema, Apollo, routes) without listening, so tests can use it. */
export async function createApp(deps: AppDeps): Promise<MinqingApp> {
  const { config, log } = deps;
  const metrics = new ServiceMetrics(deps.dataSource);
  const auth = new AuthService(deps.dataSource);
  installStatementTimeout(deps.dataSource, config.limits.statementTimeoutMs, config.tmpTableMb);
  const apollo = new ApolloServer<Context>({
    schema: await buildMinqingSchema(),
    formatError: formatError((msg, err) => log.error(msg, err), { statementTimeoutMs: config.limits.statementTimeoutMs }),
    validationRules: limitRules(config.limits),
    includeStacktraceInErrorResponses: false,
    // Apollo would stop itself on SIGTERM and re-raise the signal, killing the process mid-drain; serve's graceful shutdown stops it.
    stopOnTerminationSignals: false,
    // No cache hints: answers are per principal. Apollo's cache-control plugin would only add
    // "no-store" (set below for every /graphql response) at the price of a hook on every field.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), metrics.apolloPlugin(), costLimitPlugin(config.limits)],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.httpMiddleware, ...requestLogging(log));
  app.use(opsRoutes(metrics, config.metricsToken));
  app.use(healthRoutes(deps.dataSource));
  // Who is calling, then: signed in, within the rate, allowed for the route (GraphQL: per field).
  const perPrincipal = rateLimitPerPrincipal(config.limits.requestsPerMinute);
  const signedIn = [authenticate(auth), requireSignedIn, perPrincipal];
  app.use(authRoutes(auth, 12 * 3600, authenticate(auth)));
  app.use(dashboardRoutes({ auth, dataSource: deps.dataSource }));
  app.use('/api/extracts', ...signedIn, requireExtractor, extractRoutes(deps, { rowTransformFor: (_req, res) => extractMaskFor(res) }));
  app.use('/api/import', ...signedIn, importRoutes(deps, { guard: requireWriter }));
  app.use(
    '/graphql',
    noStore,
    ...signedIn,
    express.json({ limit: config.limits.maxBodyBytes }),
    graphqlBodyErrors(config.limits.maxBodyBytes),
    reenterRequestScope,
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor({ ...deps, log: requestLogOf(res, log) }, authOf(res).principal!, requestIdOf(res) ?? undefined),
    }),
  );
  app.use(lastResortErrors(log));
  return { app, apollo, metrics, auth, stop: () => apollo.stop() };
}

/** Anything a route let through: masked as INTERNAL_SERVER_ERROR (logged with the request id), never Express's HTML stack page. */
function lastResortErrors(log: AppDeps['log']): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    log.error('unhandled error in HTTP request', { requestId: requestIdOf(res), err: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    sendError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', { requestId: requestIdOf(res) });
  };
}

/** Answers hold residents' data for one principal: no browser or proxy may keep them (GET queries included). */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** Body-parser failures on /graphql as GraphQL errors: 413 for a body over MAX_BODY_BYTES, 400 otherwise. */
function graphqlBodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large' || e.status === 413) {
      sendError(req, res, 413, 'QUERY_TOO_COMPLEX', `the request body is larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES)`, { limit: 'bodyBytes' });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(req, res, e.status, 'BAD_USER_INPUT', 'the request body is not valid JSON');
    } else next(err);
  };
}
