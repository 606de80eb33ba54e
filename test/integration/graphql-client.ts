import request from 'supertest';
import { createApp, MinqingApp } from '../../src/app';
import { AppDeps, createContext } from '../../src/graphql/context';
import { Scope, UNSCOPED } from '../../src/graphql/scope';
import { createLogger } from '../../src/logger';
import type { TestStore } from '../helpers/stores';

export interface GqlResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: unknown; extensions?: { code?: string } & Record<string, unknown> }>;
}

export interface GqlClient {
  /** Runs an operation through Apollo with a fresh request context (as `/graphql` would). */
  run<T = any>(query: string, variables?: Record<string, unknown>, scope?: Scope): Promise<GqlResult<T>>;
  /** Like `run`, but fails the test on any error and returns `data`. */
  data<T = any>(query: string, variables?: Record<string, unknown>, scope?: Scope): Promise<T>;
  /** The codes of the errors an operation answers with. */
  codes(query: string, variables?: Record<string, unknown>): Promise<string[]>;
  /** The HTTP app, for tests that go through express. */
  http(): ReturnType<typeof request>;
}

/** Builds the app once for the suite (inside describeStores) and runs GraphQL operations against it. */
export function graphqlClient(store: () => TestStore): GqlClient {
  let app: MinqingApp | undefined;
  let deps: AppDeps;
  beforeAll(async () => {
    deps = { config: store().config, dataSource: store().ds, log: createLogger('silent') };
    app = await createApp(deps);
  });
  afterAll(async () => {
    await app?.stop();
  });
  const run = async <T>(query: string, variables: Record<string, unknown> = {}, scope: Scope = UNSCOPED): Promise<GqlResult<T>> => {
    const res = await app!.apollo.executeOperation({ query, variables }, { contextValue: createContext(deps, undefined, scope) });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    // Through JSON, as a client would see it (Dates become ISO strings).
    return JSON.parse(JSON.stringify(res.body.singleResult)) as GqlResult<T>;
  };
  return {
    run,
    async data<T>(query: string, variables?: Record<string, unknown>, scope?: Scope) {
      const r = await run<T>(query, variables, scope);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    async codes(query: string, variables?: Record<string, unknown>) {
      const r = await run(query, variables);
      return (r.errors ?? []).map((e) => String(e.extensions?.code));
    },
    http: () => request(app!.app),
  };
}
