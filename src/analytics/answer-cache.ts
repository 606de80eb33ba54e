import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { analyticsQuery } from '../database/replica-reads';
import type { Role, Scope } from '../domain/access';

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
 * One cache per process and data source (built once by createServices): service replicas each
 * keep their own. With REDIS_URL the data version is pushed to every process the moment a write
 * commits in any of them (coordination/write-announcements.ts), so a hit costs no statement at
 * all; without Redis, while Redis is away, and with read replicas (whose data may lag a pushed
 * stamp) it is read per request as described above.
 */

/** Where the data version can be had without asking the database (null: ask it). */
export interface PushedVersion {
  current(): number | null;
}

/** The process's analytics answers; `forRequest` gives one request its view of them. */
export class AnswerCache {
  private readonly cache: LRUCache<string, { value: unknown }> | null;

  constructor(
    private readonly ds: DataSource,
    config: Pick<Config, 'analyticsCacheTtlMs' | 'analyticsCacheMax'>,
    private readonly pushed: PushedVersion | null = null,
  ) {
    this.cache = config.analyticsCacheTtlMs > 0 ? new LRUCache({ max: config.analyticsCacheMax, ttl: config.analyticsCacheTtlMs }) : null;
  }

  /** The answers of one request: the data version is read at most once for all of them. */
  forRequest(role: Role | null, scope: Scope): RequestAnswers {
    return new RequestAnswers(this.cache, () => this.dataVersion(), role, scope);
  }

  /** The last write stamp: pushed through Redis while that is followed, else from where analytics read. */
  private async dataVersion(): Promise<string> {
    const pushed = this.pushed?.current();
    if (pushed !== null && pushed !== undefined) return String(pushed);
    return String(await readDataVersion(this.ds));
  }
}

/** The write clock's last committed stamp, read from where analytics read (a replica when there is one). */
export async function readDataVersion(ds: DataSource): Promise<number> {
  const rows = await analyticsQuery<{ last_ms: number | string }>(ds, 'SELECT last_ms FROM write_clock WHERE id = 1');
  return Number(rows[0]?.last_ms ?? 0);
}

/** One request's view of the answer cache (made per request by the GraphQL context). */
export class RequestAnswers {
  private version: Promise<string> | null = null;

  constructor(
    private readonly cache: LRUCache<string, { value: unknown }> | null,
    private readonly readVersion: () => Promise<string>,
    private readonly role: Role | null,
    private readonly scope: Scope,
  ) {}

  /**
   * The answer for `parts` (what was asked: field name and its arguments, JSON-serialisable)
   * for this request's role and scope: the cached one when nothing was written since, else
   * `compute()`. Failures are not cached.
   */
  async get<T>(parts: readonly unknown[], compute: () => Promise<T>): Promise<T> {
    if (this.cache === null) return compute();
    const key = JSON.stringify([await this.versionOnce(), this.role, this.scope.regionId, ...parts]);
    const hit = this.cache.get(key);
    if (hit) return hit.value as T;
    const value = await compute();
    this.cache.set(key, { value });
    return value;
  }

  private versionOnce(): Promise<string> {
    if (!this.version) {
      const v = this.readVersion();
      this.version = v;
      // A failed read is not remembered: the next call in this request tries again.
      v.catch(() => {
        if (this.version === v) this.version = null;
      });
    }
    return this.version;
  }
}
