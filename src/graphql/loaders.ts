import { DataSource } from 'typeorm';

/**
 * Per-request DataLoaders, made fresh for every request by the context (twenty's
 * createLoaders). Each feature's loaders live in its own `<noun>.loader.ts`; this factory
 * only gathers them.
 */
export function createLoaders(_ds: DataSource) {
  return {};
}

export type Loaders = ReturnType<typeof createLoaders>;
