import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Express } from 'express';
import { AppDeps, Context, createContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { buildMinqingSchema } from './graphql/schema';
import { extractRoutes } from './extracts/extract.routes';
import { healthRoutes } from './http/health.routes';
import { importRoutes } from './import/import.routes';

export interface MinqingApp {
  app: Express;
  apollo: ApolloServer<Context>;
  /** Stops Apollo; the caller owns the data source and the HTTP server. */
  stop(): Promise<void>;
}

/** Builds the whole service (schema, Apollo, routes) without listening, so tests can use it. */
export async function createApp(deps: AppDeps): Promise<MinqingApp> {
  const { config, log } = deps;
  const apollo = new ApolloServer<Context>({
    schema: await buildMinqingSchema(),
    formatError: formatError((msg, err) => log.error(msg, err)),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(deps.dataSource));
  app.use('/api/extracts', extractRoutes(deps));
  app.use('/api/import', importRoutes(deps));
  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxBodyBytes }),
    expressMiddleware(apollo, { context: async () => createContext(deps) }),
  );
  return { app, apollo, stop: () => apollo.stop() };
}
