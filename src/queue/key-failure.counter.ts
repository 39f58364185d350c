import type { Redis } from 'ioredis';
import type { KeyFailureCounter } from '../domain/access/api-key.service.js';

/**
 * Failed key attempts per key id and source in fixed windows, in Redis (INCR + PEXPIRE): shared by every API process,
 * and gone by themselves after the window, so attempts with made-up key ids leave nothing behind. If Redis cannot
 * answer, nothing is counted: an outage of the limiter must not lock every client out (/readyz reports Redis).
 */
export class RedisKeyFailureCounter implements KeyFailureCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {}

  async failures(name: string): Promise<{ count: number; resetMs: number }> {
    const { key, resetMs } = this.window(name);
    const count = Number(await this.redis.get(key).catch(() => null) ?? 0);
    return { count, resetMs };
  }

  async fail(name: string): Promise<void> {
    const { key } = this.window(name);
    await this.redis.multi().incr(key).pexpire(key, this.windowMs * 2).exec().catch(() => undefined);
  }

  private window(name: string): { key: string; resetMs: number } {
    const now = Date.now();
    const index = Math.floor(now / this.windowMs);
    return { key: `${this.prefix}:authfail:${name}:${index}`, resetMs: (index + 1) * this.windowMs - now };
  }
}
