/**
 * The copy of an image the detector and mesh look at. BlazeFace sees 256 px and the mesh a 192 px crop of the face,
 * whatever the photo's size, yet a full-resolution 2 MP photo made detection twice as slow as a 600 px one: the time
 * went to turning millions of pixels into a float tensor and padding it square (docs/BENCHMARKS.md). Shrinking the
 * photo first by whole-pixel-block averages gives the nets the same view for a fraction of the work; the aligned
 * crop the embedding net sees is still cut from the full-resolution image.
 */
import type { RgbImage } from '../face-engine.js';

/**
 * Longer side (px) above which the detector gets a shrunken copy. At 800 px a selfie's face (a third of the frame or
 * more) is still larger than the mesh's 192 px input, and a tile of a passport page (src/engine/human/tiles.ts)
 * keeps its printed portrait near that size too.
 */
export const DETECTION_MAX_SIDE = 800;

/**
 * Width (px) the largest face must have in the shrunken copy for the copy's findings to be used; below it the image
 * is looked at again in full (see meshes() in human.engine.ts). Measured with `npm run eval` on the identities,
 * documents and selfie-vs-document sets (docs/BENCHMARKS.md): with no such check 4 more printed portraits of 60 were
 * missed; at 112 px failure-to-enrol, k-fold accuracy and every TAR at the verify threshold equal full-resolution
 * detection, and one more impostor pair of 784 fell in the review band (none verified); at 192 px (the mesh's own input) nearly every photo was looked at twice, slower than no shrinking.
 */
export const DETECTION_MIN_FACE_PX = 112;

/** What the detector sees, and how its coordinates map back to the image's. */
export interface DetectionView {
  readonly image: RgbImage;
  /** Every side divided by this whole number; 1 when the image is used as it is. */
  readonly factor: number;
}

/**
 * The image shrunk by the smallest whole factor that brings its longer side to `maxSide` or less, each output pixel
 * the mean of a factor × factor block (rows and columns left over at the far edges are dropped: under one block).
 */
export function detectionView(image: RgbImage, maxSide = DETECTION_MAX_SIDE): DetectionView {
  const factor = Math.ceil(Math.max(image.width, image.height) / maxSide);
  if (factor <= 1) return { image, factor: 1 };
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height * 3);
  const sums = new Uint32Array(width * 3);
  const area = factor * factor;
  const source = image.data;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let i = ((y * factor + dy) * image.width) * 3;
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < factor; dx++, i += 3) {
          r += source[i] as number;
          g += source[i + 1] as number;
          b += source[i + 2] as number;
        }
        const o = x * 3;
        sums[o] = (sums[o] as number) + r;
        sums[o + 1] = (sums[o + 1] as number) + g;
        sums[o + 2] = (sums[o + 2] as number) + b;
      }
    }
    const row = y * width * 3;
    for (let k = 0; k < width * 3; k++) data[row + k] = Math.round((sums[k] as number) / area);
  }
  return { image: { data, width, height }, factor };
}

/** A point of the shrunken copy in the original image: the centre of the block it averaged. */
export function toOriginal(value: number, factor: number): number {
  return factor === 1 ? value : value * factor + (factor - 1) / 2;
}
