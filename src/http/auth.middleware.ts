import { parse as parseCookies, serialize } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { canExtract, canRead, canWrite, seesPersonalData } from '../domain/access';
import { maskRecord } from '../auth/masking';
import type { RowTransform } from '../extracts/extract-datasets';
import { createLimiter, RateLimiterRes } from '../coordination/shared-limits';
import type { Logger } from '../logger';
import { sendError } from './rest-errors';
import type { AuthService } from '../auth/auth.service';
import type { Principal } from '../domain/access';
import type { Role } from '../domain/access';

export const SESSION_COOKIE = 'mq_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Per-request authentication result, kept on `res.locals`. */
export interface RequestAuth {
  principal: Principal | null;
  via: 'token' | 'cookie' | null;
  /** Set when credentials were offered and refused (bad token, expired session). */
  refused: string | null;
}

export function authOf(res: Response): RequestAuth {
  return (res.locals.auth as RequestAuth | undefined) ?? { principal: null, via: null, refused: null };
}

/**
 * Reads `Authorization: Bearer` or the session cookie; for cookie-authenticated requests that
 * change state it requires the session's CSRF token in `X-CSRF-Token` (double submit).
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.headers.authorization;
      let result: RequestAuth = { principal: null, via: null, refused: null };
      if (header !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        const principal = m ? await auth.principalFromToken(m[1]) : null;
        result = principal ? { principal, via: 'token', refused: null } : { principal: null, via: null, refused: 'invalid or revoked token' };
      } else {
        const session = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
        if (session) {
          const s = await auth.principalFromSession(session);
          if (!s) result = { principal: null, via: null, refused: 'session expired or signed out' };
          else if (!isSafeMethod(req.method) && req.headers[CSRF_HEADER] !== s.csrfToken) {
            sendError(req, res, 403, 'FORBIDDEN', `missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request`);
            return;
          } else result = { principal: s.principal, via: 'cookie', refused: null };
        }
      }
      res.locals.auth = result;
      next();
    } catch (err) {
      // Checking credentials reads the database: an outage is answered as a retryable 503 (rest-errors.ts).
      next(err);
    }
  };
}

const isSafeMethod = (m: string) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

/** Headers a cross-site link, image or form cannot send without a CORS preflight (which this service never grants). */
const PREFLIGHT_HEADERS = [CSRF_HEADER, 'apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * GET /graphql: a Bearer token cannot ride along on a cross-site request, so token GETs need
 * nothing more (HTTP caches and BI connectors send queries with variables that way). A
 * session cookie can, so a cookie-authenticated GET must also carry a header only a same-site
 * script can set (X-CSRF-Token, or Apollo's apollo-require-preflight); cookie POSTs already
 * need the CSRF token (authenticate). This replaces Apollo's csrfPrevention, which refused token
 * GETs too.
 */
export const cookieQueriesNeedPreflight: RequestHandler = (req, res, next) => {
  if (authOf(res).via === 'cookie' && isSafeMethod(req.method) && !PREFLIGHT_HEADERS.some((h) => (req.headers[h] ?? '') !== '')) {
    sendError(req, res, 403, 'FORBIDDEN', `a cookie-authenticated GET needs the ${CSRF_HEADER} header (or apollo-require-preflight); use POST, or a Bearer token`);
    return;
  }
  next();
};

/** For HTTP routes: 401 without valid credentials, 403 when the role may not do this. */
export function requireRole(allowed: (role: Role) => boolean, what: string): RequestHandler {
  return (req, res, next) => {
    const { principal, refused } = authOf(res);
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(req, res, 401, 'UNAUTHENTICATED', refused ?? 'sign in or send Authorization: Bearer <token>');
      return;
    }
    if (!allowed(principal.role)) {
      sendError(req, res, 403, 'FORBIDDEN', `role ${principal.role} may not ${what}`);
      return;
    }
    next();
  };
}

/** Any signed-in principal (GraphQL checks roles per field, in the access guard). */
export const requireSignedIn = requireRole(() => true, 'do this');
/** Reads and exports of what was read: every role but INGEST. */
export const requireReader = requireRole(canRead, 'read or export data');
/** Import: ADMIN and INGEST. */
export const requireWriter = requireRole(canWrite, 'import data');
/** Extracts: ADMIN and EXTRACT (OFFICER extracts are not offered: an extract is the whole county). */
export const requireExtractor = requireRole(canExtract, 'pull extracts');

/** The extract row transform for the request's principal: personal fields masked unless the role sees them. */
export function extractMaskFor(res: Response): RowTransform | undefined {
  const p = authOf(res).principal;
  return p && seesPersonalData(p.role) ? undefined : maskRecord;
}

/**
 * Requests per minute per principal, answered with 429 and Retry-After (seconds until the window
 * resets). With `redis` (REDIS_URL) the count is shared by every service process; without it, or
 * while Redis is away, each process counts its own (createLimiter). Mounted after
 * requireSignedIn, so there is always a principal to count against.
 */
export function rateLimitPerPrincipal(perMinute: number, redis: Redis | null = null, log?: Logger): RequestHandler {
  const limiter = createLimiter({ points: perMinute, windowSeconds: 60, name: 'principal' }, redis);
  return async (req, res, next) => {
    const p = authOf(res).principal;
    const key = p ? `${p.kind}:${p.id}` : 'anonymous';
    let outcome: RateLimiterRes;
    try {
      outcome = await limiter.consume(key);
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) {
        // Neither Redis nor the in-memory counter answered: let the request through rather than fail it.
        log?.warn('rate limit not counted', rejected instanceof Error ? rejected : { err: String(rejected) });
        next();
        return;
      }
      const retryAfter = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
      rateLimitHeaders(res, perMinute, rejected);
      res.set('Retry-After', String(retryAfter));
      const message = `more than ${perMinute} requests a minute; retry after ${retryAfter} s`;
      sendError(req, res, 429, 'RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
      return;
    }
    rateLimitHeaders(res, perMinute, outcome);
    next();
  };
}

/** The IETF draft-7 RateLimit headers (as express-rate-limit sent them before). */
function rateLimitHeaders(res: Response, limit: number, r: RateLimiterRes): void {
  const reset = Math.max(0, Math.ceil(r.msBeforeNext / 1000));
  res.set('RateLimit-Policy', `${limit};w=60`);
  res.set('RateLimit', `limit=${limit}, remaining=${Math.max(0, r.remainingPoints)}, reset=${reset}`);
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeSeconds, secure });
}
