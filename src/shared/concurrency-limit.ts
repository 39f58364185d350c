/**
 * Runs at most `max` calls of `fn` at once; further calls wait their turn in arrival order. For CPU- and memory-heavy
 * work that many requests may ask for at the same moment (decoding uploaded images): past the core count, more at
 * once only adds memory (each decode holds its pixels) without finishing any sooner.
 */
export function limitConcurrency<A extends unknown[], R>(fn: (...args: A) => Promise<R>, max: number): (...args: A) => Promise<R> {
  if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`max must be a whole number >= 1, got ${max}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async (...args: A) => {
    if (running < max) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn(...args);
    } finally {
      release();
    }
  };
}
