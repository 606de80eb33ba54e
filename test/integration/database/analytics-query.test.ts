import { QueryFailedError } from 'typeorm';
import { analyticsQuery } from '../../../src/database/replica-reads';
import { formatError } from '../../../src/graphql/errors';
import { installStatementTimeout } from '../../../src/database/session-settings';
import { describeStores } from '../../helpers/stores';

/*
 * analyticsQuery, the one read path of aggregates, dashboards and extracts. On MySQL it talks to
 * the driver's pool directly (not through a TypeORM QueryRunner), so what the runner used to do
 * for it is checked here: statements reach the logger, failures are QueryFailedErrors carrying
 * the driver's error, and a failed statement gives its connection back. Which server answers
 * when replicas are configured is proven in replica.test.ts.
 */
describeStores('analyticsQuery', (store) => {
  it('returns the rows, with bound parameters, and reports the statement to the logger', async () => {
    store().resetQueries();
    const rows = await analyticsQuery<{ n: number; s: string }>(store().ds, 'SELECT ? + 1 AS n, ? AS s', [41, '民情']);
    expect(rows.map((r) => [Number(r.n), r.s])).toEqual([[42, '民情']]);
    expect(store().queries).toEqual(['SELECT ? + 1 AS n, ? AS s']);
  });

  it('rejects a bad statement with a QueryFailedError that carries the driver error', async () => {
    const err = await analyticsQuery(store().ds, 'SELECT no_such_column FROM regions').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError).query).toBe('SELECT no_such_column FROM regions');
    expect(String((err as QueryFailedError & { driverError: Error }).driverError.message)).toMatch(/no_such_column/);
  });

  it('gives the connection back after a failure: more failures than the pool has connections, then a success', async () => {
    const failures = await Promise.all(Array.from({ length: 25 }, () => analyticsQuery(store().ds, 'SELECT * FROM no_such_table').then(() => 'ok', () => 'failed')));
    expect(failures).toEqual(Array(25).fill('failed'));
    const rows = await analyticsQuery<{ n: number }>(store().ds, 'SELECT COUNT(*) AS n FROM regions');
    expect(Number(rows[0].n)).toBe(0);
  });

  it('maps a statement that runs past STATEMENT_TIMEOUT_MS to QUERY_TOO_COMPLEX (MySQL; SQLite cannot interrupt)', async () => {
    if (store().kind !== 'mysql') return expect(store().kind).toBe('sqlite');
    installStatementTimeout(store().ds, 200);
    try {
      const err = await analyticsQuery(store().ds, 'SELECT SLEEP(1) AS s').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(QueryFailedError);
      expect(formatError(() => undefined, { statementTimeoutMs: 200 })({ message: 'x', extensions: {} }, { originalError: err })).toMatchObject({
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'statementTime' },
      });
    } finally {
      installStatementTimeout(store().ds, 30_000);
    }
  });
});
