import type { DataSource } from 'typeorm';

interface PooledConnection {
  query(sql: string, cb: (err: unknown) => void): unknown;
}
interface ConnectionPool {
  on(event: 'connection', fn: (c: PooledConnection) => void): unknown;
  _allConnections?: { toArray(): PooledConnection[] };
}

/**
 * The SET statements installStatementTimeout runs on each MySQL-family session (the bench runs
 * them on its raw connection too); a server may refuse the one it does not know.
 */
export function sessionSettings(ms: number, tmpTableMb = 0): string[] {
  return [
    `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`,
    `SET SESSION max_execution_time = ${Math.round(ms)}`,
    ...(tmpTableMb > 0 ? [`SET SESSION tmp_table_size = ${tmpTableMb * 1048576}, max_heap_table_size = ${tmpTableMb * 1048576}`] : []),
  ];
}

/**
 * Caps every statement a MySQL-family pool runs at `ms`: MariaDB's `max_statement_time`
 * (seconds, any statement) and MySQL 8's `max_execution_time` (ms, SELECT only) are both set on
 * each pooled connection; the one the server does not know fails harmlessly. SQLite runs
 * in-process and synchronously and cannot be interrupted, so there is no limit there. The error
 * is mapped to QUERY_TOO_COMPLEX by formatError.
 *
 * It also lets each session keep an in-memory temporary table of up to `tmpTableMb` (MySQL's
 * default is 16 MB): a GROUP BY over tens of thousands of keys (81k cadres in a scorecard year
 * at demo ×100) otherwise spills to an on-disk table, 90 s instead of 9 s.
 */
export function installStatementTimeout(ds: DataSource, ms: number, tmpTableMb = 0): void {
  if (ds.options.type !== 'mysql') return;
  const settings = sessionSettings(ms, tmpTableMb);
  const driver = ds.driver as unknown as { pool?: ConnectionPool; poolCluster?: { _nodes?: Record<string, { pool: ConnectionPool }> } };
  // One pool, or (with DATABASE_REPLICA_URLS) a cluster of a primary and replicas, each a pool.
  const pools = driver.pool ? [driver.pool] : Object.values(driver.poolCluster?._nodes ?? {}).map((n) => n.pool);
  const apply = (c: PooledConnection) => {
    const ignore = () => undefined;
    for (const sql of settings) c.query(sql, ignore);
  };
  for (const pool of pools) {
    pool.on('connection', apply);
    // Connections opened before (migrations, seeding) are idle in the pool now: limit them too.
    for (const c of pool._allConnections?.toArray() ?? []) apply(c);
  }
}
