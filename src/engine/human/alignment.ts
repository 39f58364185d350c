/**
 * Face alignment from Human's 468-point face mesh: five reference points (eye centres, nose tip, mouth corners),
 * the least-squares similarity transform onto a fixed template (Umeyama), and a bilinear warp that cuts the
 * aligned crop the embedding net expects. Plain arithmetic on RgbImage: no tfjs kernel (the WASM backend has no
 * RotateWithOffset, so Human's own rotation correction does not run there).
 */
import type { Point, RgbImage } from '../face-engine.js';

/** Mesh indices (MediaPipe face mesh) of the contour of each eye, image-left eye first. */
const EYE_CONTOURS = [
  [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
] as const;
const NOSE_TIP = 1;
const MOUTH_CORNERS = [61, 291] as const;

/**
 * The five points of the ArcFace / InsightFace 112 x 112 template (image-left eye, other eye, nose tip, mouth
 * corners), the framing most open face-embedding nets were trained on.
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * dlib's five-point template (get_face_chip_details, shape_predictor_5 order: image-right eye outer and inner corner,
 * image-left eye outer and inner corner, base of the nose), in a unit square before padding. dlib's face recognition
 * net (face-api's FaceRecognitionNet) was trained on 150 x 150 chips cut with it and padding 0.25.
 */
export const DLIB_TEMPLATE_5: readonly Point[] = [
  { x: 0.8595674595992, y: 0.2134981538014 },
  { x: 0.6460604764104, y: 0.2289674387677 },
  { x: 0.1205750620789, y: 0.2137274526848 },
  { x: 0.3340850613712, y: 0.2290642403242 },
  { x: 0.4901123135679, y: 0.6277975316475 },
];

/** Mesh indices of dlib's five points: eye corners 263, 362, 33, 133 and the base of the nose (subnasale) 2. */
const DLIB_MESH_POINTS = [263, 362, 33, 133, 2] as const;

/**
 * dlib's mean face (get_face_chip_details, 68-point version): iBUG points 17-67 in a unit square. The 68-point
 * chip is fitted on the nose, eyes and upper mouth (points 27-54 and 60-64), as dlib does.
 */
const DLIB_MEAN_FACE_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825,
  0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985,
  0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379,
  0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
const DLIB_MEAN_FACE_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454, 0.203352,
  0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852,
  0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405,
  0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792,
  0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];
const DLIB68_FIT_POINTS = [...Array.from({ length: 28 }, (_, k) => 27 + k), 60, 61, 62, 63, 64];

/** Which reference points and template an embedding net was trained with. */
export type AlignmentTemplate = 'arcface' | 'dlib' | 'dlib68';

/** The reference points of a mesh for the given template, in image pixels. */
export function referencePoints(mesh: readonly (readonly number[])[], template: AlignmentTemplate): Point[] {
  if (template === 'arcface') return fivePointsFromMesh(mesh);
  if (mesh.length < 468) throw new RangeError(`face mesh has ${mesh.length} points, need 468`);
  const at = (i: number): Point => ({ x: mesh[i]?.[0] as number, y: mesh[i]?.[1] as number });
  if (template === 'dlib') return DLIB_MESH_POINTS.map(at);
  return DLIB68_FIT_POINTS.map((k) => at(MESH_TO_IBUG68[k] as number));
}

/**
 * The template points in a crop of `size` pixels. ArcFace: see scaledTemplate. dlib: the unit template with
 * dlib's padding, `(padding + p) / (1 + 2 padding) * size`; zoom and shiftY then act as for ArcFace.
 */
export function templateFor(template: AlignmentTemplate, size: number, zoom = 1, shiftY = 0, padding = 0.25): Point[] {
  if (template === 'arcface') return scaledTemplate(size, zoom, shiftY);
  const unit = template === 'dlib'
    ? DLIB_TEMPLATE_5
    : DLIB68_FIT_POINTS.map((k) => ({ x: DLIB_MEAN_FACE_X[k - 17] as number, y: DLIB_MEAN_FACE_Y[k - 17] as number }));
  return unit.map((p) => ({
    x: (((padding + p.x) / (1 + 2 * padding) - 0.5) * zoom + 0.5) * size,
    y: (((padding + p.y) / (1 + 2 * padding) - 0.5) * zoom + 0.5 + shiftY) * size,
  }));
}

/** ArcFace's five reference points of a mesh given in image pixels ([x, y, z] per point). */
export function fivePointsFromMesh(mesh: readonly (readonly number[])[]): Point[] {
  if (mesh.length < 468) throw new RangeError(`face mesh has ${mesh.length} points, need 468`);
  const at = (i: number): Point => ({ x: mesh[i]?.[0] as number, y: mesh[i]?.[1] as number });
  const centre = (indices: readonly number[]): Point => {
    const points = indices.map(at);
    return { x: mean(points.map((p) => p.x)), y: mean(points.map((p) => p.y)) };
  };
  return [centre(EYE_CONTOURS[0]), centre(EYE_CONTOURS[1]), at(NOSE_TIP), at(MOUTH_CORNERS[0]), at(MOUTH_CORNERS[1])];
}

/**
 * The template for an embedding net of `size` pixels: the ArcFace points scaled to the size, with `zoom` < 1
 * leaving more margin around the face (nets trained on looser crops) and `shiftY` moving the face down (+) or up,
 * as a fraction of the size.
 */
export function scaledTemplate(size: number, zoom = 1, shiftY = 0): Point[] {
  return ARCFACE_TEMPLATE_112.map((p) => ({
    x: ((p.x - 56) * zoom + 56) * (size / 112),
    y: ((p.y - 56) * zoom + 56) * (size / 112) + shiftY * size,
  }));
}

/** x' = a x - b y + tx, y' = b x + a y + ty: rotation, uniform scale and translation, no reflection. */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/** Least-squares similarity mapping `from` onto `to` (Umeyama 1991, 2-D, closed form). */
export function estimateSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) throw new RangeError('need two or more corresponding points');
  const n = from.length;
  const fx = mean(from.map((p) => p.x));
  const fy = mean(from.map((p) => p.y));
  const gx = mean(to.map((p) => p.x));
  const gy = mean(to.map((p) => p.y));
  let sxx = 0; // sum of (u . v) over centred points
  let sxy = 0; // sum of (u x v)
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ux = (from[i] as Point).x - fx;
    const uy = (from[i] as Point).y - fy;
    const vx = (to[i] as Point).x - gx;
    const vy = (to[i] as Point).y - gy;
    sxx += ux * vx + uy * vy;
    sxy += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  if (norm === 0) throw new RangeError('reference points coincide');
  const a = sxx / norm;
  const b = sxy / norm;
  return { a, b, tx: gx - (a * fx - b * fy), ty: gy - (b * fx + a * fy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/**
 * Cuts the `size` x `size` crop whose pixel (u, v) is the image at T^-1(u, v), black outside the image. Returns
 * float RGB in [0, 255], row-major, 3 values per pixel. When the crop shrinks the image (a 600 px face of a phone
 * selfie into a 150 px crop), each crop pixel averages a grid of bilinear samples over its footprint, as a
 * resampling filter would: sampling single points would alias fine detail (hair, skin texture) into noise that the
 * embedding then reads as identity.
 */
export function warpToCrop(image: RgbImage, toCrop: Similarity, size: number): Float32Array {
  const { a, b, tx, ty } = toCrop;
  const { data, width, height } = image;
  const det = a * a + b * b;
  // Inverse of [[a, -b], [b, a]] is [[a, b], [-b, a]] / det.
  const ia = a / det;
  const ib = b / det;
  // Image pixels per crop pixel; up to 8 x 8 samples per crop pixel.
  const grid = Math.max(1, Math.min(8, Math.round(1 / Math.sqrt(det))));
  const n = grid * grid;
  const out = new Float32Array(size * size * 3);
  const row = width * 3;
  // Sample offsets along u and v (spread evenly over the crop pixel; the pixel itself when grid is 1), each times
  // the inverse's coefficients: x = ia du + ib dv and y = -ib du + ia dv add the very same products per sample.
  const axis = (coefficient: number, shift: number) => Float64Array.from({ length: size * grid }, (_, k) => coefficient * (Math.floor(k / grid) + ((k % grid) + 0.5) / grid - 0.5 - shift));
  const xu = axis(ia, tx);
  const yu = axis(-ib, tx);
  const xv = axis(ib, ty);
  const yv = axis(ia, ty);
  // The hot loop of the engine's JavaScript (up to 64 bilinear samples per crop pixel on a phone selfie): the pixel
  // index is computed once per sample and the bounds checked once when all four neighbours lie inside. Sums are
  // rounded to float32 after every sample, as storing them in the crop did, so the crop stays bit for bit the same.
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = v * grid; j < (v + 1) * grid; j++) {
        for (let i = u * grid; i < (u + 1) * grid; i++) {
          const x = (xu[i] as number) + (xv[j] as number);
          const y = (yu[i] as number) + (yv[j] as number);
          if (x >= 0 && y >= 0 && x < width - 1 && y < height - 1) {
            // All four neighbours inside: truncation is the floor, in integer arithmetic.
            const x0 = x | 0;
            const y0 = y | 0;
            const fx = x - x0;
            const fy = y - y0;
            const p = y0 * row + x0 * 3;
            const q = p + row;
            r = Math.fround(r + blend(data[p] as number, data[p + 3] as number, data[q] as number, data[q + 3] as number, fx, fy));
            g = Math.fround(g + blend(data[p + 1] as number, data[p + 4] as number, data[q + 1] as number, data[q + 4] as number, fx, fy));
            bl = Math.fround(bl + blend(data[p + 2] as number, data[p + 5] as number, data[q + 2] as number, data[q + 5] as number, fx, fy));
          } else {
            const x0 = Math.floor(x);
            const y0 = Math.floor(y);
            const fx = x - x0;
            const fy = y - y0;
            r = Math.fround(r + edgeSample(image, x0, y0, fx, fy, 0));
            g = Math.fround(g + edgeSample(image, x0, y0, fx, fy, 1));
            bl = Math.fround(bl + edgeSample(image, x0, y0, fx, fy, 2));
          }
        }
      }
      const o = (v * size + u) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = bl / n;
    }
  }
  return out;
}

/** Bilinear blend of the four neighbours (top-left, top-right, bottom-left, bottom-right). */
function blend(p00: number, p10: number, p01: number, p11: number, fx: number, fy: number): number {
  return (p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy;
}

/** A sample whose neighbours reach past the image: those outside count as black. */
function edgeSample(image: RgbImage, x0: number, y0: number, fx: number, fy: number, c: number): number {
  const { data, width, height } = image;
  return blend(
    pixel(data, width, height, x0, y0, c), pixel(data, width, height, x0 + 1, y0, c),
    pixel(data, width, height, x0, y0 + 1, c), pixel(data, width, height, x0 + 1, y0 + 1, c), fx, fy,
  );
}

function pixel(data: Uint8Array, width: number, height: number, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return data[(y * width + x) * 3 + c] as number;
}

/**
 * Mesh indices approximating the 68-point iBUG layout (jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67),
 * so that findings carry the same landmark layout whichever engine produced them.
 */
export const MESH_TO_IBUG68 = [
  // jaw, image-left ear to image-right ear through the chin (17)
  127, 234, 93, 132, 58, 172, 136, 149, 152, 378, 365, 397, 288, 361, 323, 454, 356,
  // brows (5 + 5)
  70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  // nose bridge (4) and base (5)
  168, 197, 5, 4, 75, 97, 2, 326, 305,
  // eyes (6 + 6)
  33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
  // mouth, outer (12) and inner (8)
  61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, 78, 82, 13, 312, 308, 317, 14, 87,
] as const;

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
