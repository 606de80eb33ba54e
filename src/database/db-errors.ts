/*
 * Telling "the database is away" apart from every other failure, so callers can answer with a
 * retryable error (GraphQL: INTERNAL_SERVER_ERROR + extensions.retryable; REST: 503 + Retry-After)
 * instead of a bare 500. The request did nothing: imports are one transaction per batch, so a
 * retry after such an error is always safe.
 */

/** Network and server-shutdown codes of mysql2/Node, and SQLite's busy/locked. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
/** MySQL client/server error numbers for the same conditions (2002/2003/2006/2013 client, 1053/1927 server). */
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1927, 2002, 2003, 2006, 2013, 2055]);

/** Whether an error (possibly wrapped by TypeORM or GraphQL) means the database could not be reached or went away. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  // Walk GraphQLError.originalError → QueryFailedError.driverError → cause chains.
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; errno?: unknown; fatal?: unknown; message?: unknown };
    if (typeof o.code === 'string' && UNAVAILABLE_CODES.has(o.code)) return true;
    if (typeof o.errno === 'number' && UNAVAILABLE_ERRNOS.has(o.errno)) return true;
    if (o.fatal === true) return true; // mysql2 marks connection-level failures fatal
    if (typeof o.message === 'string' && /connection lost|server has gone away|Can't connect|connect ECONNREFUSED|Pool is closed/i.test(o.message)) return true;
    const next = e as { originalError?: unknown; driverError?: unknown; cause?: unknown };
    e = next.originalError ?? next.driverError ?? next.cause;
  }
  return false;
}

/** Seconds a client should wait before retrying a request the database was away for. */
export const RETRY_AFTER_SECONDS = 5;

/** The JSON body of a REST 503 when the database is away. */
export function unavailableBody(requestId?: string): Record<string, unknown> {
  return {
    error: 'SERVICE_UNAVAILABLE',
    message: `the database is unavailable; nothing was written; retry in ${RETRY_AFTER_SECONDS} s`,
    retryable: true,
    ...(requestId ? { requestId } : {}),
  };
}
