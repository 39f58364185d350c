import sharp from 'sharp';
import { perceptualHash } from './perceptual-hash.js';

sharp.cache(false);

/** A rectangle in pixels of the page as given. */
export interface PortraitRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Turn = 0 | 90 | 180 | 270;

/** Two dHashes (hex) that together identify one document photo, as turned by `turn`. */
export interface PhotoHashes {
  /** Clockwise turn applied to the page before hashing. */
  readonly turn: Turn;
  /** The whole page, 64 bits: says "a page of this design, framed like this". */
  readonly pageHash: string;
  /** The portrait's face box grown by {@link PORTRAIT_MARGIN} on each side, 256 bits (16 x 16): says whose page it is. */
  readonly portraitHash: string;
}

/** Share of the face box added on each side: hair, shoulders and the photo's background belong to the picture. */
export const PORTRAIT_MARGIN = 0.2;

/**
 * The portrait region is hashed at 16 x 16: at 8 x 8 two different faces on pages of one design came as close as
 * 7 bits of 64, inside the spread of the same photo re-encoded (docs/DOCUMENTS.md, "Photo reuse").
 */
export const PORTRAIT_HASH_SIDE = 16;

const TURNS: readonly Turn[] = [0, 90, 180, 270];

/**
 * Fingerprints a document photo for finding the same picture under another subject, once per quarter turn (the
 * first, turn 0, is the page as given: upright when the caller knew how). A page hash alone cannot do it: pages of
 * one design (every Tajik passport) are a few bits apart whoever holds them (docs/DOCUMENTS.md, "Photo reuse");
 * the portrait region is what differs, and the page hash keeps a portrait cut from another kind of picture from
 * matching. `portrait` is in the pixels of `page`.
 */
export async function documentPhotoFingerprints(page: Buffer, portrait: PortraitRegion): Promise<PhotoHashes[]> {
  const { width, height } = await sharp(page).metadata();
  if (!width || !height) throw new RangeError('undecodable page');
  const left = clamp(Math.round(portrait.x - portrait.width * PORTRAIT_MARGIN), 0, width - 2);
  const top = clamp(Math.round(portrait.y - portrait.height * PORTRAIT_MARGIN), 0, height - 2);
  const right = clamp(Math.round(portrait.x + portrait.width * (1 + PORTRAIT_MARGIN)), left + 2, width);
  const bottom = clamp(Math.round(portrait.y + portrait.height * (1 + PORTRAIT_MARGIN)), top + 2, height);
  const crop = await sharp(page).extract({ left, top, width: right - left, height: bottom - top }).png({ compressionLevel: 0 }).toBuffer();
  const hashes: PhotoHashes[] = [];
  for (const turn of TURNS) hashes.push({ turn, pageHash: await perceptualHash(page, turn), portraitHash: await perceptualHash(crop, turn, PORTRAIT_HASH_SIDE) });
  return hashes;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
