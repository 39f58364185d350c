import sharp from 'sharp';

sharp.cache(false);

/**
 * 64-bit difference hash (dHash) of an image, as 16 hex digits: the picture reduced to 9 x 8 grey pixels, one bit
 * per horizontally adjacent pair (is the left one brighter?). Re-encoding, resizing, mild crops and colour changes
 * move few bits; a different document moves about half. Compare with {@link hammingDistance}: up to
 * {@link SAME_IMAGE_MAX_DISTANCE} bits apart is the same picture. Not rotation-invariant: hash the page upright
 * (`rotate`, clockwise degrees, as an inspection reports it).
 */
export async function perceptualHash(image: Buffer, rotate: 0 | 90 | 180 | 270 = 0): Promise<string> {
  const { data } = await sharp(image)
    .rotate(rotate)
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let bits = 0n;
  for (let y = 0; y < 8; y += 1) {
    for (let x = 0; x < 8; x += 1) {
      bits = (bits << 1n) | (data[y * 9 + x]! > data[y * 9 + x + 1]! ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
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

/** Hashes this close (of 64 bits) are taken for the same document photo, re-encoded or slightly cropped. */
export const SAME_IMAGE_MAX_DISTANCE = 10;
