import type { RequestHandler } from 'express';
import { Semaphore } from '../../shared/semaphore.js';
import { UnavailableError } from '../../shared/errors.js';

/**
 * Bounds how many multipart uploads are read into memory at once: at most `slots` × one request's budget (a selfie
 * and a document, or a selfie and 12 frames: see multipartUpload), whatever the number of clients. Others wait their turn for up to `waitMs`,
 * then get 503 with Retry-After rather than pushing the process out of memory.
 */
export function uploadSlots(slots: number, waitMs: number): RequestHandler {
  const places = new Semaphore(slots);
  return async (_req, res, next) => {
    if (!(await places.acquire(waitMs))) {
      return next(new UnavailableError('UPLOADS_BUSY', 'Too many uploads at once; try again in a few seconds.', 3));
    }
    let released = false;
    const done = () => {
      if (!released) {
        released = true;
        places.release();
      }
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
