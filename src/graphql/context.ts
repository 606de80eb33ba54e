import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createLoaders, Loaders } from './loaders';
import { Scope, UNSCOPED } from './scope';

/** What every resolver receives: configuration, the data source, the caller and this request's loaders. */
export interface Context {
  requestId: string;
  config: Readonly<Config>;
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** Who is calling; null only for contexts made outside HTTP, which the access guard refuses. */
  principal: Principal | null;
  /** The part of the county this request may read; every entity query and loader applies it. */
  scope: Scope;
}

export interface AppDeps {
  config: Readonly<Config>;
  dataSource: DataSource;
  log: Logger;
}

/** The scope a principal reads in: an OFFICER its region's subtree, every other role the whole county. */
export function scopeOf(principal: Principal): Scope {
  return principal.role === 'OFFICER' && principal.regionId ? Object.freeze({ regionId: principal.regionId }) : UNSCOPED;
}

/** A request's context; its loaders are made for its scope (default: everything). */
export function createContext(
  deps: AppDeps,
  requestId: string = randomUUID(),
  scope: Scope = UNSCOPED,
  principal: Principal | null = null,
): Context {
  return {
    requestId,
    config: deps.config,
    dataSource: deps.dataSource,
    log: deps.log,
    principal,
    scope,
    loaders: createLoaders(deps.dataSource, scope),
  };
}

/** The context of an authenticated request: scope derived from the principal, in this one place. */
export function contextFor(deps: AppDeps, principal: Principal, requestId: string = randomUUID()): Context {
  return createContext(deps, requestId, scopeOf(principal), principal);
}
