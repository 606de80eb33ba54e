import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { createLogger, Logger, PinoLogger, requestScope, wrapPino } from '../logger';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept only when it is short and plain, so it cannot forge log lines or bloat them. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** The id of the request `res` answers (set by `requestLogging`), or null outside it. */
export function requestIdOf(res: Response): string | null {
  return (res.locals.requestId as string | undefined) ?? null;
}

/** The request's own logger (lines carry its id), or `fallback` when request logging is not mounted. */
export function requestLogOf(res: Response, fallback: Logger): Logger {
  return (res.locals.log as Logger | undefined) ?? fallback;
}

/**
 * Request ids and access logs, mounted first: takes `X-Request-Id` from the caller when it is
 * acceptable or makes one, echoes it on the response, logs one line per request with pino-http
 * (level by status: 5xx error, 4xx warn, else info) and runs the rest of the request in
 * `requestScope`, so everything logged while serving it names the request.
 */
export function requestLogging(log: Logger): RequestHandler[] {
  const base = (log as Partial<PinoLogger>).pino ?? createLogger('silent').pino;
  const assignId: RequestHandler = (req, res, next) => {
    const offered = req.headers[REQUEST_ID_HEADER];
    const id = typeof offered === 'string' && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
  const access = pinoHttp({
    logger: base,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => (res as Response).locals.requestId,
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Health probes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        method: req.method,
        url: req.url,
        userAgent: req.headers['user-agent'],
        remoteAddress: req.remoteAddress,
      }),
      res: pino.stdSerializers.res,
    },
  });
  const scope: RequestHandler = (req, res, next) => {
    res.locals.log = wrapPino((req as unknown as { log: pino.Logger }).log);
    requestScope.run({ requestId: res.locals.requestId }, next);
  };
  return [assignId, access as unknown as RequestHandler, scope];
}

/**
 * Re-enters the request's log scope. Body parsers resume the chain from the socket's stream
 * events, which run outside the scope entered earlier; mount this after one to get it back.
 */
export const reenterRequestScope: RequestHandler = (_req, res, next) => {
  const requestId = res.locals.requestId as string | undefined;
  if (!requestId || requestScope.getStore()?.requestId === requestId) return next();
  requestScope.run({ requestId }, next);
};
