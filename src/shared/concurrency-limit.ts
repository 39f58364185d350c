import { Semaphore } from './semaphore.js';

/**
 * Runs at most `max` calls of `fn` at once; further calls wait their turn in arrival order. For CPU- and memory-heavy
 * work that many requests may ask for at the same moment (decoding uploaded images): past the core count, more at
 * once only adds memory (each decode holds its pixels) without finishing any sooner.
 */
export function limitConcurrency<A extends unknown[], R>(fn: (...args: A) => Promise<R>, max: number): (...args: A) => Promise<R> {
  const places = new Semaphore(max);
  return async (...args: A) => {
    await places.acquire();
    try {
      return await fn(...args);
    } finally {
      places.release();
    }
  };
}
