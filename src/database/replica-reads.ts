import type { DataSource, QueryRunner } from 'typeorm';

/*
 * Analytics reads go to a read replica when DATABASE_REPLICA_URLS names one; everything else
 * (writes, entity reads that must see the caller's own writes) stays on the primary, which is
 * TypeORM's default here (data-source.ts sets replication.defaultMode = 'master'). Without
 * replicas, or on SQLite, 'slave' is simply the one connection.
 */

/** Whether this data source has read replicas configured. */
export function hasReplicas(ds: DataSource): boolean {
  const o = ds.options as { replication?: { slaves?: unknown[] } };
  return Array.isArray(o.replication?.slaves) && o.replication!.slaves!.length > 0;
}

/** Runs `fn` with a query runner on a read replica (or the primary when there is none), then releases it. */
export async function withAnalyticsRunner<T>(ds: DataSource, fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
  const qr = ds.createQueryRunner('slave');
  try {
    return await fn(qr);
  } finally {
    await qr.release();
  }
}

/** One analytics statement on a read replica (replication lag allowed: aggregates, dashboards, extracts). */
export function analyticsQuery<T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  return withAnalyticsRunner(ds, (qr) => qr.query(sql, params) as Promise<T[]>);
}
