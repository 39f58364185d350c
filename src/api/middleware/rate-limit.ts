import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '../../shared/errors.js';

/** A fixed-window limit shared by every API process through Redis. */
export interface RateLimit {
  readonly name: string;
  readonly perMinute: number;
}

class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests; slow down and try again shortly.', 429, { retryAfterSeconds });
  }
}

/**
 * Counts requests per window in Redis (INCR + PEXPIRE), so limits hold across processes and restarts.
 * If Redis cannot answer, the request passes: an outage of the limiter must not become an outage of
 * proof of life, and /readyz already reports Redis.
 */
export function rateLimit(redis: Redis, prefix: string, limit: RateLimit, keyOf: (req: Parameters<RequestHandler>[0], locals: Record<string, unknown>) => string | null): RequestHandler {
  return async (req, res, next) => {
    const id = keyOf(req, res.locals);
    if (!id) return next();
    const windowMs = 60_000;
    const window = Math.floor(Date.now() / windowMs);
    const key = `${prefix}:rl:${limit.name}:${id}:${window}`;
    let count = 0;
    try {
      const [[, n]] = (await redis.multi().incr(key).pexpire(key, windowMs * 2).exec()) as [[unknown, number], unknown];
      count = n;
    } catch {
      return next();
    }
    res.setHeader('RateLimit-Limit', String(limit.perMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit.perMinute - count)));
    if (count > limit.perMinute) {
      const retry = Math.ceil(((window + 1) * windowMs - Date.now()) / 1000);
      res.setHeader('Retry-After', String(retry));
      throw new RateLimitedError(retry);
    }
    next();
  };
}
