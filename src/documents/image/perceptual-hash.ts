import sharp from 'sharp';

sharp.cache(false);

/**
 * Difference hash (dHash) of an image, `side`² bits as hex (64 bits, 16 digits, by default): the picture reduced to
 * (side + 1) x side grey pixels, one bit per horizontally adjacent pair (is the left one brighter?). Re-encoding,
 * resizing, mild crops and colour changes move few bits; a picture of another design moves about half. Pages of
 * one design differ in few bits whoever holds them (docs/DOCUMENTS.md, "Photo reuse"). Compare with
 * {@link hammingDistance}. Not rotation-invariant: hash the page upright (`rotate`, clockwise degrees, as an
 * inspection reports it).
 */
export async function perceptualHash(image: Buffer, rotate: 0 | 90 | 180 | 270 = 0, side = 8): Promise<string> {
  const { data } = await sharp(image)
    .rotate(rotate)
    .greyscale()
    .resize(side + 1, side, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let bits = 0n;
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      bits = (bits << 1n) | (data[y * (side + 1) + x]! > data[y * (side + 1) + x + 1]! ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart((side * side) / 4, '0');
}

/** Bits that differ between two hashes from {@link perceptualHash} (0-64). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * Hashes this close (of 64 bits) are the same picture, re-encoded or slightly cropped, when the pictures are of
 * different designs; pages of one design need the portrait's hash too (document-fingerprint.ts).
 */
export const SAME_IMAGE_MAX_DISTANCE = 10;
