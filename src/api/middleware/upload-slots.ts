import type { RequestHandler } from 'express';
import { UnavailableError } from '../../shared/errors.js';

/**
 * Bounds how many multipart uploads are read into memory at once: at most `slots` × 2 images of
 * UPLOAD_MAX_BYTES each, whatever the number of clients. Others wait their turn for up to `waitMs`,
 * then get 503 with Retry-After rather than pushing the process out of memory.
 */
export function uploadSlots(slots: number, waitMs: number): RequestHandler {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy -= 1;
  };
  return (_req, res, next) => {
    const go = () => {
      let released = false;
      const done = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      res.once('finish', done);
      res.once('close', done);
      next();
    };
    if (busy < slots) {
      busy += 1;
      return go();
    }
    const timer = setTimeout(() => {
      const i = waiting.indexOf(resume);
      if (i >= 0) waiting.splice(i, 1);
      next(new UnavailableError('UPLOADS_BUSY', 'Too many uploads at once; try again in a few seconds.', 3));
    }, waitMs);
    const resume = () => {
      clearTimeout(timer);
      go();
    };
    waiting.push(resume);
  };
}
