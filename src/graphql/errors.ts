import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../database/db-errors';
import { UserError } from '../domain/errors';
import { LIMIT_EXTENSION } from './limits';

const PASS_THROUGH = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/**
 * Apollo's formatError: known codes pass through; anything else (a driver error, a bug) is
 * masked as INTERNAL_SERVER_ERROR and logged with the request id, so no SQL or stack leaks.
 */
export function formatError(log: (msg: string, err: unknown) => void, opts: { statementTimeoutMs?: number } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    // Depth and alias rules tag their validation errors; they are limits, not malformed queries.
    if (formatted.extensions?.[LIMIT_EXTENSION]) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'QUERY_TOO_COMPLEX', limit: formatted.extensions[LIMIT_EXTENSION] } };
    }
    if (isStatementTimeout(error)) {
      const ms = opts.statementTimeoutMs;
      return {
        message: `a database statement took longer than ${ms ?? 'the configured'}${ms ? ' ms' : ''} (STATEMENT_TIMEOUT_MS); narrow the query or retry later`,
        path: formatted.path,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'statementTime', retryable: true },
      };
    }
    // A service's UserError: its code and details become the extensions (the one mapping of it to GraphQL).
    const thrown = (error as { originalError?: unknown })?.originalError ?? error;
    if (thrown instanceof UserError) {
      return { message: thrown.message, locations: formatted.locations, path: formatted.path, extensions: { code: thrown.code, ...thrown.details } };
    }
    // type-graphql's argument validation errors are user errors.
    const original = (error as { originalError?: { name?: string; extensions?: { code?: string } } })?.originalError;
    if (original?.name === 'ArgumentValidationError' || original?.extensions?.code === 'BAD_USER_INPUT') {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', ...pick(formatted.extensions, ['validationErrors', 'dataset', 'errors']) } };
    }
    if (PASS_THROUGH.has(code)) {
      const { stacktrace: _s, ...ext } = formatted.extensions ?? {};
      return { ...formatted, extensions: ext };
    }
    // api.md's codes are fixed: a database outage stays INTERNAL_SERVER_ERROR, marked retryable.
    if (isDatabaseUnavailable(error)) {
      log('database unavailable during GraphQL request', error);
      return { message: 'The database is unavailable; retry shortly', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } };
    }
    log('unexpected error in GraphQL request', error);
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

function pick(o: Record<string, unknown> | undefined, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => o && k in o).map((k) => [k, o![k]]));
}

/** MariaDB ER_STATEMENT_TIMEOUT (1969, max_statement_time) and MySQL ER_QUERY_TIMEOUT (3024, max_execution_time). */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

/** Whether an error (possibly wrapped by GraphQL or TypeORM) is the database's statement time limit. */
export function isStatementTimeout(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { errno?: unknown; code?: unknown };
    if (typeof o.errno === 'number' && TIMEOUT_ERRNOS.has(o.errno)) return true;
    if (o.code === 'ER_STATEMENT_TIMEOUT' || o.code === 'ER_QUERY_TIMEOUT') return true;
    const next = e as { originalError?: unknown; driverError?: unknown; cause?: unknown };
    e = next.originalError ?? next.driverError ?? next.cause;
  }
  return false;
}
