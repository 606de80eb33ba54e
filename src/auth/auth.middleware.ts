import { parse as parseCookies, serialize } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AuthService } from './auth.service';
import type { Principal } from './principal';
import type { Role } from './roles';

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
            res.status(403).json({ error: 'FORBIDDEN', message: `missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request` });
            return;
          } else result = { principal: s.principal, via: 'cookie', refused: null };
        }
      }
      res.locals.auth = result;
      next();
    } catch (err) {
      next(err);
    }
  };
}

const isSafeMethod = (m: string) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

/** For HTTP routes: 401 without valid credentials, 403 when the role may not do this. */
export function requireRole(allowed: (role: Role) => boolean, what: string): RequestHandler {
  return (_req, res, next) => {
    const { principal, refused } = authOf(res);
    if (!principal) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'UNAUTHENTICATED', message: refused ?? 'credentials required' });
      return;
    }
    if (!allowed(principal.role)) {
      res.status(403).json({ error: 'FORBIDDEN', message: `role ${principal.role} may not ${what}` });
      return;
    }
    next();
  };
}

/** Requests per minute per principal (per address when anonymous), answered with 429 and Retry-After. */
export function rateLimitPerPrincipal(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const p = authOf(res).principal;
      return p ? `${p.kind}:${p.id}` : `ip:${req.ip ?? 'unknown'}`;
    },
    handler: (req, res, _next, options) => {
      const retryAfter = Math.ceil(options.windowMs / 1000);
      res.set('Retry-After', String(retryAfter));
      const message = `more than ${perMinute} requests a minute; retry after ${retryAfter} s`;
      if (req.path.startsWith('/graphql') || req.baseUrl.startsWith('/graphql')) {
        res.status(429).json({ errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }] });
      } else res.status(429).json({ error: 'RATE_LIMITED', message });
    },
  });
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeSeconds, secure });
}
