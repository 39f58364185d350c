import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { UploadRejectedError } from '../shared/errors.js';
import type { RgbImage } from '../engine/face-engine.js';
import { sniffImageType, type ImageType } from './image-type.js';

// A decoded image is never held by libvips' cache between unrelated requests.
sharp.cache(false);

export interface ImageLimits {
  /** Largest decoded pixel count accepted (decompression bombs). */
  readonly maxPixels: number;
  /** Longest side the stored copy is scaled down to. */
  readonly maxSide: number;
}

/** An upload after checking: re-encoded, oriented, metadata stripped. The original bytes are not kept. */
export interface NormalizedImage {
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
  readonly sourceType: ImageType;
  /** sha256 of the bytes as uploaded (replay detection, idempotency). */
  readonly sourceSha256: string;
}

const MIN_SIDE = 64;

/**
 * Checks an upload before anything is stored: type by magic bytes, pixel count from the header,
 * then a full decode. Applies EXIF orientation, caps the size, drops EXIF/GPS/ICC metadata.
 */
export async function normalizeUpload(bytes: Buffer, field: string, limits: ImageLimits): Promise<NormalizedImage> {
  const sourceType = sniffImageType(bytes);
  if (!sourceType) {
    throw new UploadRejectedError('UNSUPPORTED_IMAGE_TYPE', `"${field}" is not a JPEG, PNG or WebP image.`, 415, { field });
  }
  const options = { limitInputPixels: limits.maxPixels, failOn: 'error' as const };
  let meta: sharp.Metadata;
  try {
    // Header only: the pixel count is judged below, so that a flood gets its own code.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw undecodable(field);
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > limits.maxPixels) {
    throw new UploadRejectedError('IMAGE_TOO_MANY_PIXELS', `"${field}" has more than ${limits.maxPixels} pixels.`, 422, { field, width, height });
  }
  if ((meta.pages ?? 1) > 1) {
    throw new UploadRejectedError('IMAGE_ANIMATED', `"${field}" is animated or multi-page; send a single photo.`, 422, { field });
  }
  if (Math.min(width, height) < MIN_SIDE) {
    throw new UploadRejectedError('IMAGE_TOO_SMALL', `"${field}" is smaller than ${MIN_SIDE} pixels on a side.`, 422, { field, width, height });
  }
  try {
    const { data, info } = await sharp(bytes, options)
      .rotate()
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .jpeg({ quality: 92, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
    return {
      jpeg: data, width: info.width, height: info.height, sourceType,
      sourceSha256: createHash('sha256').update(bytes).digest('hex'),
    };
  } catch {
    throw undecodable(field);
  }
}

/** Decodes a stored (normalised) image to RGB for the engine. */
export async function decodeRgb(image: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Turns an image clockwise by a quarter-turn multiple (a page photographed sideways), re-encoded as JPEG. */
export async function rotateJpeg(image: Uint8Array, degrees: 90 | 180 | 270): Promise<Uint8Array> {
  return sharp(image).rotate(degrees).jpeg({ quality: 92 }).toBuffer();
}

/** Crops a region (clamped to the image) and scales it so its longer side is `targetSide`. */
export async function cropRgb(
  image: Uint8Array,
  region: { x: number; y: number; width: number; height: number },
  targetSide: number,
): Promise<{ rgb: RgbImage; left: number; top: number; scale: number }> {
  const meta = await sharp(image).metadata();
  const left = Math.max(0, Math.floor(region.x));
  const top = Math.max(0, Math.floor(region.y));
  const width = Math.max(1, Math.min((meta.width ?? 0) - left, Math.ceil(region.width)));
  const height = Math.max(1, Math.min((meta.height ?? 0) - top, Math.ceil(region.height)));
  const scale = targetSide / Math.max(width, height);
  const { data, info } = await sharp(image)
    .extract({ left, top, width, height })
    .resize({ width: Math.round(width * scale), height: Math.round(height * scale), kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    rgb: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
    left, top, scale,
  };
}

function undecodable(field: string): UploadRejectedError {
  return new UploadRejectedError('IMAGE_UNDECODABLE', `"${field}" could not be decoded as an image.`, 422, { field });
}
