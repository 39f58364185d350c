import type { Request } from 'express';
import type { ChallengePolicy } from '../domain/liveness/challenge.js';
import type { ChallengeResponse } from '../domain/submissions/intake.service.js';
import type { NormalizeImage } from '../images/image-normalizer.js';
import { ValidationError } from '../shared/errors.js';
import { uploadedFiles } from './middleware/upload.js';
import type { FilePart } from './route-spec.js';

/** How many frames a liveness challenge response carries, and how large each may be. */
export type FrameLimits = Pick<ChallengePolicy, 'minFrames' | 'maxFrames'> & { readonly maxFrameBytes?: number };

/** The multipart field of a challenge response, for every route a selfie may come with one (proof of life, consent actions). */
export function framesPart(limits: FrameLimits): FilePart {
  return {
    name: 'frames', required: false, maxCount: limits.maxFrames, maxBytes: limits.maxFrameBytes,
    description: `Answer to a liveness challenge: ${limits.minFrames}-${limits.maxFrames} frames in the order taken, each in a field named "frames"`
      + (limits.maxFrameBytes ? `, each at most ${limits.maxFrameBytes} bytes (video stills about 1280 px on the long side)` : ''),
  };
}

/** The frames and nonce of a challenge response, checked for shape before anything is stored; undefined when none came. */
export async function readChallengeResponse(
  req: Request, nonce: string | undefined, limits: FrameLimits, normalizeImage: NormalizeImage,
): Promise<ChallengeResponse | undefined> {
  const frames = uploadedFiles(req, 'frames');
  if (!frames.length && !nonce) return undefined;
  if (!nonce) throw new ValidationError('CHALLENGE_NONCE_REQUIRED', 'Frames answer a liveness challenge: send its "nonce" with them.', { fields: ['nonce'] });
  if (frames.length < limits.minFrames || frames.length > limits.maxFrames) {
    throw new ValidationError('CHALLENGE_FRAME_COUNT', `Send ${limits.minFrames} to ${limits.maxFrames} frames with the nonce.`, {
      fields: ['frames'], received: frames.length,
    });
  }
  const images = [];
  for (const [k, bytes] of frames.entries()) images.push(await normalizeImage(bytes, `frames[${k}]`));
  return { nonce, frames: images };
}
