import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export { RateLimiterRes };

export interface LimitOptions {
  /** Requests allowed per window and key. */
  points: number;
  windowSeconds: number;
  /** Names the counters in Redis (and keeps two limits' keys apart). */
  name: string;
}

/**
 * A fixed-window counter per key. With Redis the window is shared by every service process
 * (one Lua INCR+EXPIRE per request); when Redis is not ready or does not answer in time, the
 * process's own in-memory counter answers instead (rate-limiter-flexible's insurance limiter),
 * so losing Redis degrades to per-process limits and never fails a request.
 */
export function createLimiter(o: LimitOptions, redis: Redis | null): RateLimiterAbstract {
  const local = new RateLimiterMemory({ points: o.points, duration: o.windowSeconds, keyPrefix: `minqing:${o.name}` });
  if (!redis) return local;
  return new RateLimiterRedis({
    storeClient: redis,
    points: o.points,
    duration: o.windowSeconds,
    keyPrefix: `minqing:rate:${o.name}`,
    insuranceLimiter: local,
    rejectIfRedisNotReady: true,
  });
}
