import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createLoaders, Loaders } from './loaders';

/** What every resolver receives: configuration, the data source, and this request's loaders. */
export interface Context {
  requestId: string;
  config: Readonly<Config>;
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
}

export interface AppDeps {
  config: Readonly<Config>;
  dataSource: DataSource;
  log: Logger;
}

export function createContext(deps: AppDeps, requestId: string = randomUUID()): Context {
  return { requestId, config: deps.config, dataSource: deps.dataSource, log: deps.log, loaders: createLoaders(deps.dataSource) };
}
