import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { analyticsQuery } from '../database/replica-reads';
import type { Context } from '../graphql/context';

/*
 * Reuses an analytics answer (a `metrics` result, a dashboard panel, a scorecard page) for the
 * same role, scope and arguments while no write has happened, for at most
 * ANALYTICS_CACHE_TTL_MS. Safe because:
 *  - the key holds the data version: the write clock's last stamp (every import, recording
 *    mutation and delete takes a higher one in its transaction), read once per request from
 *    where analytics read (the replica when there is one), before anything is computed. A write
 *    that commits later raises the stamp, so the next request misses;
 *  - the key holds the role and the scope, so an OFFICER never gets another subtree's answer
 *    and masking by role cannot leak across roles;
 *  - a reused answer is the whole earlier answer, `dataAsOf` included: it is exact as of the
 *    instant it states. Only measures that age with the clock (backlog ageing, an open issue
 *    crossing its SLA) can be up to the TTL behind "now", which `dataAsOf` shows.
 * One cache per process (and per data source): service replicas each keep their own.
 */

const CACHES = new WeakMap<DataSource, LRUCache<string, { value: unknown }>>();
const VERSIONS = new WeakMap<Context, Promise<string>>();

function cacheFor(ds: DataSource, config: Readonly<Config>): LRUCache<string, { value: unknown }> {
  let cache = CACHES.get(ds);
  if (!cache) {
    cache = new LRUCache({ max: config.analyticsCacheMax, ttl: config.analyticsCacheTtlMs });
    CACHES.set(ds, cache);
  }
  return cache;
}

/** The data version for this request: the last write stamp, read once per request. */
function versionOf(ctx: Context): Promise<string> {
  let v = VERSIONS.get(ctx);
  if (!v) {
    v = analyticsQuery<{ last_ms: number | string }>(ctx.dataSource, 'SELECT last_ms FROM write_clock WHERE id = 1').then((rows) => String(rows[0]?.last_ms ?? 0));
    VERSIONS.set(ctx, v);
    // A failed read is not remembered: the next call in this request tries again.
    v.catch(() => VERSIONS.delete(ctx));
  }
  return v;
}

/**
 * The answer for `parts` (what was asked: field name and its arguments, JSON-serialisable) for
 * this request's role and scope: the cached one when nothing was written since, else `compute()`.
 * Failures are not cached.
 */
export async function cachedAnswer<T>(ctx: Context, parts: readonly unknown[], compute: () => Promise<T>): Promise<T> {
  if (ctx.config.analyticsCacheTtlMs === 0) return compute();
  const cache = cacheFor(ctx.dataSource, ctx.config);
  const key = JSON.stringify([await versionOf(ctx), ctx.principal?.role ?? null, ctx.scope.regionId, ...parts]);
  const hit = cache.get(key);
  if (hit) return hit.value as T;
  const value = await compute();
  cache.set(key, { value });
  return value;
}
