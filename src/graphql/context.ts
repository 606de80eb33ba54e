import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createLoaders, Loaders } from './loaders';
import { Scope, UNSCOPED } from './scope';

/** What every resolver receives: configuration, the data source, and this request's loaders. */
export interface Context {
  requestId: string;
  config: Readonly<Config>;
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** The part of the county this request may read; every entity query and loader applies it. */
  scope: Scope;
}

export interface AppDeps {
  config: Readonly<Config>;
  dataSource: DataSource;
  log: Logger;
}

/** A request's context; its loaders are made for its scope (default: everything). */
export function createContext(deps: AppDeps, requestId: string = randomUUID(), scope: Scope = UNSCOPED): Context {
  return {
    requestId,
    config: deps.config,
    dataSource: deps.dataSource,
    log: deps.log,
    scope,
    loaders: createLoaders(deps.dataSource, scope),
  };
}
