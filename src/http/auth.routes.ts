import express, { RequestHandler, Router } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { parse as parseCookies } from 'cookie';
import type Redis from 'ioredis';
import type { AuthService } from '../auth/auth.service';
import { createLimiter, RateLimiterRes } from '../coordination/shared-limits';
import { authOf, SESSION_COOKIE, sessionCookie } from './auth.middleware';

/** `POST /auth/login`, `POST /auth/logout`, `GET /auth/me` for people using the pages. */
export function authRoutes(auth: AuthService, sessionTtlSeconds: number, authenticated: RequestHandler, redis: Redis | null = null): Router {
  const r = Router();
  // Guessing passwords: ten tries a minute per address and user name, counted across processes with Redis.
  const attempts = createLimiter({ points: 10, windowSeconds: 60, name: 'login' }, redis);
  const loginLimit: RequestHandler = async (req, res, next) => {
    const key = `${ipKeyGenerator(req.ip ?? 'unknown')}:${typeof req.body?.username === 'string' ? req.body.username : ''}`;
    try {
      await attempts.consume(key);
    } catch (rejected) {
      if (rejected instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
        res.set('Retry-After', String(retryAfter)).status(429).json({ error: 'RATE_LIMITED', message: `too many sign-in attempts; retry after ${retryAfter} s` });
        return;
      }
      // Not counted (neither Redis nor memory answered): the password check itself stays slow.
    }
    next();
  };
  r.post('/auth/login', express.json({ limit: '16kb' }), loginLimit, async (req, res, next) => {
    try {
      const { username, password } = req.body ?? {};
      if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
        res.status(400).json({ error: 'BAD_USER_INPUT', message: 'send JSON {"username": "...", "password": "..."}' });
        return;
      }
      const result = await auth.login(username, password);
      if (!result) {
        res.status(401).json({ error: 'UNAUTHENTICATED', message: 'wrong user name or password' });
        return;
      }
      res.set('Set-Cookie', sessionCookie(result.session, sessionTtlSeconds, req.secure));
      res.set('Cache-Control', 'no-store');
      const { name, role, regionId } = result.principal;
      res.json({ user: { username: name, role, regionId }, csrfToken: result.csrfToken });
    } catch (err) {
      next(err);
    }
  });
  r.post('/auth/logout', async (req, res, next) => {
    try {
      const session = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
      if (session) await auth.logout(session);
      res.set('Set-Cookie', sessionCookie('', 0, req.secure)).json({ ok: true });
    } catch (err) {
      next(err);
    }
  });
  r.get('/auth/me', authenticated, (_req, res) => {
    const p = authOf(res).principal;
    if (!p) {
      res.status(401).json({ error: 'UNAUTHENTICATED', message: 'not signed in' });
      return;
    }
    res.json({ user: { username: p.name, role: p.role, regionId: p.regionId, kind: p.kind } });
  });
  return r;
}
