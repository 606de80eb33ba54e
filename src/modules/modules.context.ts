import type { AuthService } from '../auth/auth.service';
import type { Config } from '../config';
import type { Principal, Scope } from '../domain/access';
import type { EntityServices, Loaders } from './loaders';

/**
 * What every resolver may read of its request: the caller, the scope it reads in and the
 * configuration. The GraphQL transport builds the whole context (graphql/context.ts); each
 * folder with resolvers names the part it uses, so no service folder imports the transport.
 */
export interface RequestContext {
  requestId: string;
  config: Readonly<Config>;
  /** Who is calling; null only for contexts made outside HTTP, which the access guard refuses. */
  principal: Principal | null;
  /** The part of the county this request may read; every entity query and loader applies it. */
  scope: Scope;
}

/** The context the entity resolvers use: the shared services and this request's loaders. */
export interface ModulesContext extends RequestContext {
  loaders: Loaders;
  services: { entities: EntityServices; auth: AuthService };
}
