/**
 * At most `max` holders at once; the rest wait in arrival order, each for as long as it is willing to. The one
 * mechanism behind the API's upload slots and the bounded image work (src/shared/concurrency-limit.ts).
 */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`max must be a whole number >= 1, got ${max}`);
  }

  /**
   * Resolves true once a place is held (the caller must release it), or false when `timeoutMs` passes first: the
   * caller then holds nothing and has left the queue.
   */
  acquire(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.held < this.max) {
      this.held += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const granted = () => {
        if (timer) clearTimeout(timer);
        resolve(true);
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
          const i = this.waiting.indexOf(granted);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve(false);
        }, timeoutMs)
        : null;
      this.waiting.push(granted);
    });
  }

  /** Hands the place to the first waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held -= 1;
  }
}
