/**
 * The two image samplings Human makes before its nets, recomputed from an RgbImage as tfjs computes them, for the
 * engine's native detector and mesh: `tf.image.resizeBilinear` (alignCorners and halfPixelCenters off) of the whole
 * image to BlazeFace's input, and `tf.image.cropAndResize` (bilinear, 0 outside) of a face box to the mesh's input.
 *
 * The engine hands Human the image padded with black to a square on the right and bottom (human.engine.ts), so both
 * read that square: pixels past the image are 0. The arithmetic follows tfjs' float32 steps (Math.fround), so the
 * nets get bit for bit the inputs tfjs WASM gives them (test/integration/engine-native-graphs.test.ts): a sample
 * position rounded differently could land across a pixel boundary and shift a box or a mesh point.
 */
import type { RgbImage } from '../face-engine.js';

const f = Math.fround;

/** A view of `image` as the `side` x `side` square padded with zeros right and bottom. */
export interface Square {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly side: number;
}

export function paddedSquare(image: RgbImage): Square {
  return { data: image.data, width: image.width, height: image.height, side: Math.max(image.width, image.height) };
}

/**
 * BlazeFace's input: the square resized to `size` x `size` as tf.image.resizeBilinear(…, [size, size]) gives it
 * (tfjs' legacy mapping: source = output index × side / size, no half-pixel offset), then scaled to [-1, 1] as
 * Human does (v / 127.5 - 1, each step in float32). NHWC, RGB.
 */
export function detectorInput(square: Square, size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const ratio = square.side / size;
  const rows = axisSamples(ratio, size, square.side);
  const cols = axisSamples(ratio, size, square.side);
  let o = 0;
  for (let r = 0; r < size; r++) {
    const y0 = rows.lo[r] as number;
    const y1 = rows.hi[r] as number;
    const fy = rows.frac[r] as number;
    for (let c = 0; c < size; c++) {
      const x0 = cols.lo[c] as number;
      const x1 = cols.hi[c] as number;
      const fx = cols.frac[c] as number;
      for (let ch = 0; ch < 3; ch++) {
        const top = lerp(at(square, x0, y0, ch), at(square, x1, y0, ch), fx);
        const bottom = lerp(at(square, x0, y1, ch), at(square, x1, y1, ch), fx);
        out[o++] = f(f(f(lerp(top, bottom, fy)) / 127.5) - 1);
      }
    }
  }
  return out;
}

/**
 * The face mesh's input: the box (square pixels, start and end corners) cut from the square and resized to
 * `size` x `size` as tf.image.cropAndResize(square, [[y1 / side, x1 / side, y2 / side, x2 / side]], [0], [size,
 * size]) gives it (corners sampled exactly, 0 past the square's edge), then divided by 255 as Human does. NHWC, RGB.
 */
export function cropInput(square: Square, start: readonly [number, number], end: readonly [number, number], size: number): Float32Array {
  // Human passes the box normalised by the square's side; the tensor holds it as float32.
  const box = [f(start[1] / square.side), f(start[0] / square.side), f(end[1] / square.side), f(end[0] / square.side)] as const;
  return cropAndResize(square.side, square.side, (x, y, ch) => at(square, x, y, ch), box, size, (v) => f(v / 255));
}

/**
 * The PAD nets' input (src/engine/pad/human-pad.model.ts): the image as float32 `v / 255`, then
 * tf.image.cropAndResize(…, [box], [0], [size, size]) with `box` = [y1, x1, y2, x2] normalised by the image's own
 * height and width (0 past its edge). NHWC, RGB.
 */
export function padCropInput(image: RgbImage, box: readonly [number, number, number, number], size: number): Float32Array {
  const value = (x: number, y: number, ch: number) => f((image.data[(y * image.width + x) * 3 + ch] as number) / 255);
  return cropAndResize(image.height, image.width, value, box.map(f) as [number, number, number, number], size, (v) => v);
}

/**
 * tf.image.cropAndResize of one float32 `box` ([y1, x1, y2, x2], normalised) of a `width` x `height` source read
 * through `value`, to `size` x `size`: bilinear, corners sampled exactly, 0 past the source's edge, each step
 * rounded to float32 as tfjs' kernel does; `finish` maps each result as it is stored. NHWC, 3 channels.
 */
function cropAndResize(
  height: number, width: number, value: (x: number, y: number, ch: number) => number,
  box: readonly [number, number, number, number], size: number, finish: (v: number) => number,
): Float32Array {
  const out = new Float32Array(size * size * 3);
  const [y1, x1, y2, x2] = box;
  const lastY = height - 1;
  const lastX = width - 1;
  const heightScale = size > 1 ? f(f(f(y2 - y1) * lastY) / (size - 1)) : 0;
  const widthScale = size > 1 ? f(f(f(x2 - x1) * lastX) / (size - 1)) : 0;
  const xs = Float64Array.from({ length: size }, (_, x) => (size > 1 ? f(f(x1 * lastX) + f(x * widthScale)) : f(f(0.5 * f(x1 + x2)) * lastX)));
  let o = 0;
  for (let y = 0; y < size; y++) {
    const yIn = size > 1 ? f(f(y1 * lastY) + f(y * heightScale)) : f(f(0.5 * f(y1 + y2)) * lastY);
    if (yIn < 0 || yIn > lastY) {
      o += size * 3; // extrapolation value 0: the array is already zero
      continue;
    }
    const top = Math.floor(yIn);
    const bottom = Math.ceil(yIn);
    const fy = f(yIn - top);
    for (let x = 0; x < size; x++, o += 3) {
      const xIn = xs[x] as number;
      if (xIn < 0 || xIn > lastX) continue;
      const left = Math.floor(xIn);
      const right = Math.ceil(xIn);
      const fx = f(xIn - left);
      for (let ch = 0; ch < 3; ch++) {
        const t = lerp32(value(left, top, ch), value(right, top, ch), fx);
        const b = lerp32(value(left, bottom, ch), value(right, bottom, ch), fx);
        out[o + ch] = finish(lerp32(t, b, fy));
      }
    }
  }
  return out;
}

/**
 * tf.image.resizeBilinear(…, [size, size]) of a float `from` x `from` NHWC crop (tfjs' legacy mapping, as
 * detectorInput). The PAD's 128 to 32 px is a whole factor, so every output is one input value.
 */
export function resizeCrop(crop: Float32Array, from: number, size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const rows = axisSamples(from / size, size, from);
  const at = (x: number, y: number, ch: number) => crop[(y * from + x) * 3 + ch] as number;
  let o = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      for (let ch = 0; ch < 3; ch++) {
        const top = lerp(at(rows.lo[c] as number, rows.lo[r] as number, ch), at(rows.hi[c] as number, rows.lo[r] as number, ch), rows.frac[c] as number);
        const bottom = lerp(at(rows.lo[c] as number, rows.hi[r] as number, ch), at(rows.hi[c] as number, rows.hi[r] as number, ch), rows.frac[c] as number);
        out[o++] = lerp(top, bottom, rows.frac[r] as number);
      }
    }
  }
  return out;
}

/** Per output index along one axis: the two source indices and the weight of the second (tfjs' resizeBilinear). */
function axisSamples(ratio: number, size: number, sourceSize: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const frac = new Float64Array(size);
  const r32 = f(ratio);
  for (let i = 0; i < size; i++) {
    const source = f(r32 * i);
    const floor = Math.max(0, Math.floor(source));
    lo[i] = floor;
    hi[i] = Math.min(sourceSize - 1, Math.ceil(source));
    frac[i] = f(source - floor);
  }
  return { lo, hi, frac };
}

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
/** The same in float32, rounding after each step as tfjs' crop kernel does. */
const lerp32 = (a: number, b: number, t: number): number => f(a + f(f(b - a) * t));

function at(square: Square, x: number, y: number, ch: number): number {
  if (x >= square.width || y >= square.height) return 0;
  return square.data[(y * square.width + x) * 3 + ch] as number;
}
