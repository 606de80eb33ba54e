import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableBody } from '../database/db-errors';
import { ErrorCode, UserError } from '../domain/errors';
import { ImportRejected } from '../import/import.service';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

/*
 * The one mapping of errors to REST answers (formatError in graphql/errors.ts is GraphQL's):
 * a service's UserError keeps its code and message, a refused import batch lists its lines,
 * a body the parser refused says why, a database outage is a retryable 503, anything else is
 * a masked 500 logged with the request id. Routes pass what they cannot answer to `next(err)`.
 */

/** The HTTP status of each api.md error code. */
export const STATUS_OF: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

const isGraphql = (req: Request) => req.baseUrl.startsWith('/graphql') || req.originalUrl.startsWith('/graphql');

/** Answers an error in the shape the route speaks: `{errors:[…extensions.code]}` on /graphql, `{error, message}` elsewhere. */
export function sendError(req: Request, res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  if (isGraphql(req)) res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
  else res.status(status).json({ error: code, message, ...extra });
}

export interface RestErrorOptions {
  log: Logger;
  /** What the route does, for log lines ("import", "extract"). */
  what: string;
  /** The answer to a body over MAX_BODY_BYTES on this route (code and message). */
  tooLarge?: { code: string; message: string };
}

/** The error handler every REST router (and createApp, last) ends with. */
export function restErrors(opts: RestErrorOptions): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    // The id the caller got in X-Request-Id, so the answer, the header and the log line agree.
    const requestId = requestIdOf(res) ?? randomUUID();
    if (err instanceof UserError) return sendError(req, res, STATUS_OF[err.code], err.code, err.message, { ...err.details });
    if (err instanceof ImportRejected) {
      const shown = err.errors.length;
      const message = `${err.totalErrors} error${err.totalErrors === 1 ? '' : 's'} in ${err.dataset}; nothing was written` + (err.totalErrors > shown ? ` (the first ${shown} are listed)` : '');
      return sendError(req, res, 422, 'BAD_USER_INPUT', message, { dataset: err.dataset, errorCount: err.totalErrors, errors: err.errors });
    }
    const parser = err as { type?: string; status?: number };
    if (parser.type === 'entity.too.large' || parser.status === 413) {
      const answer = opts.tooLarge ?? { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large (MAX_BODY_BYTES)' };
      return sendError(req, res, 413, answer.code, answer.message, isGraphql(req) ? { limit: 'bodyBytes' } : {});
    }
    if (parser.status === 415) return sendError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', String((err as Error).message));
    if (typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
      // A body the parser could not read (bad JSON, aborted, wrong encoding).
      return sendError(req, res, parser.status, isGraphql(req) ? 'BAD_USER_INPUT' : 'BAD_REQUEST', isGraphql(req) ? 'the request body is not valid JSON' : String((err as Error).message));
    }
    if (isDatabaseUnavailable(err)) {
      // Every write is one transaction: the outage rolled it back, so a retry is safe.
      opts.log.warn(`${opts.what}: database unavailable`, { requestId, err: err instanceof Error ? err.message : String(err) });
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      if (isGraphql(req)) return sendError(req, res, 503, 'INTERNAL_SERVER_ERROR', 'The database is unavailable; retry shortly', { retryable: true });
      res.status(503).json(unavailableBody(requestId));
      return;
    }
    opts.log.error(`${opts.what} failed`, { requestId, err: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    sendError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', { requestId });
  };
}
