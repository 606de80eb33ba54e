import request from 'supertest';
import { createApp, MinqingApp } from '../../src/app';
import type { Principal } from '../../src/domain/access';
import type { Role } from '../../src/domain/access';
import { AppDeps } from '../../src/app';
import { contextFor } from '../../src/graphql/context';
import type { Scope } from '../../src/domain/access';
import { createLogger } from '../../src/logger';
import type { TestStore } from './stores';

export interface GqlResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: unknown; extensions?: { code?: string } & Record<string, unknown> }>;
}

export interface GqlClientOptions {
  /** The role operations run as (default ADMIN). */
  role?: Role;
  /** An OFFICER's region. */
  regionId?: string | null;
}

export interface GqlClient {
  /**
   * Runs an operation through Apollo with a fresh request context (as `/graphql` would), as the
   * client's principal; a `scope` runs it as an OFFICER of that region instead.
   */
  run<T = any>(query: string, variables?: Record<string, unknown>, scope?: Scope): Promise<GqlResult<T>>;
  /** Like `run`, but fails the test on any error and returns `data`. */
  data<T = any>(query: string, variables?: Record<string, unknown>, scope?: Scope): Promise<T>;
  /** The codes of the errors an operation answers with. */
  codes(query: string, variables?: Record<string, unknown>, scope?: Scope): Promise<string[]>;
  /** The HTTP app with the client's Bearer token set on every request. */
  http(): ReturnType<typeof request.agent>;
  /** The app itself (no credentials set). */
  app(): MinqingApp;
  /** `Authorization` header value of a fresh token with this role (and region, for an OFFICER). */
  bearer(role: Role, regionId?: string | null): Promise<string>;
}

/** Builds the app once for the suite (inside describeStores) and runs GraphQL operations against it, signed in. */
export function graphqlClient(store: () => TestStore, options: GqlClientOptions = {}): GqlClient {
  let app: MinqingApp | undefined;
  let deps: AppDeps;
  let token: string;
  const role = options.role ?? 'ADMIN';
  const principal: Principal = { kind: 'token', id: 'test-client', name: 'test client', role, regionId: options.regionId ?? null };
  beforeAll(async () => {
    deps = { config: store().config, dataSource: store().ds, log: createLogger('silent') };
    app = await createApp(deps);
    // An OFFICER's region may not exist yet (fixtures come later): use `bearer` for its HTTP calls.
    if (role !== 'OFFICER') token = await bearer(role);
  });
  afterAll(async () => {
    await app?.stop();
  });
  const bearer = async (r: Role, regionId: string | null = null) => `Bearer ${(await app!.auth.createToken({ role: r, regionId, name: `test ${r}` })).token}`;
  const run = async <T>(query: string, variables: Record<string, unknown> = {}, scope?: Scope): Promise<GqlResult<T>> => {
    const who: Principal = scope?.regionId ? { ...principal, id: `test-officer-${scope.regionId}`, role: 'OFFICER', regionId: scope.regionId } : principal;
    const res = await app!.apollo.executeOperation({ query, variables }, { contextValue: contextFor(app!.services, deps.log, who) });
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
    async codes(query: string, variables?: Record<string, unknown>, scope?: Scope) {
      const r = await run(query, variables, scope);
      return (r.errors ?? []).map((e) => String(e.extensions?.code));
    },
    http: () => {
      const agent = request.agent(app!.app);
      return token === undefined ? agent : agent.set('Authorization', token);
    },
    app: () => app!,
    bearer,
  };
}
