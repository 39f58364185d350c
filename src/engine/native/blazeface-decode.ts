/**
 * BlazeFace's raw outputs to face boxes, as @vladmandic/human 3.3.6 computes them (src/face/blazeface.ts getBoxes and
 * decodeBoxes, src/face/facemeshutil.ts), for the engine's native pipeline: the outputs ordered as Human orders them,
 * anchors, box decoding in float32 steps as its tensors hold them, sigmoid scores, tfjs' non-max suppression
 * (nonMaxSuppressionV3Impl, which nonMaxSuppressionAsync runs), then each kept box scaled to the image, enlarged and
 * squared with Human's rounding. The mesh crop is cut from that square, so a box off by one pixel moves every point.
 */

/** BlazeFace's input side (its graph's fixed input shape). */
export const DETECTOR_SIZE = 256;

/** Human's detector settings the engine uses; humanConfig (human-mesh-finder.ts) passes the same to Human. */
export const DETECTOR_SETTINGS = {
  /** Most faces per image (Human's face.detector.maxDetected). */
  maxFaces: 20,
  /** Overlap above which the less confident of two boxes is dropped (face.detector.iouThreshold). */
  iouThreshold: 0.1,
  /** Factor the detector's box is enlarged by before squaring (face.detector.scale, Human's default). */
  enlarge: 1.4,
} as const;

/** One output tensor of the detector graph. */
export interface RawOutput {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** A square face box in the pixels of the padded square image, as Human hands it to the mesh. */
export interface FaceBox {
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
  /** Detector score (sigmoid of the logit). */
  readonly confidence: number;
}

const f = Math.fround;
/** Values per anchor row: logit, box centre offset (x, y), box size (w, h), six keypoints (x, y). */
const ROW = 17;

/**
 * Anchor centres (x, y) in detector pixels: a 16 x 16 grid of 2 anchors (stride 16) then an 8 x 8 grid of 6
 * (stride 32), as Human's generateAnchors for a 256 px input.
 */
export function blazeFaceAnchors(size = DETECTOR_SIZE): Float32Array {
  const anchors: number[] = [];
  for (const [stride, count] of [[size / 16, 2], [size / 8, 6]] as const) {
    const cells = Math.floor((size + stride - 1) / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < count; n++) anchors.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(anchors);
}

/**
 * The detector's four outputs ([1, 512, 1] and [1, 384, 1] logits, [1, 512, 16] and [1, 384, 16] regressors) as
 * Human joins them: sorted by size, each logit beside its regressors, the 512 rows (stride 16) before the 384.
 */
export function blazeFaceRows(outputs: readonly RawOutput[]): Float32Array {
  if (outputs.length !== 4) throw new Error(`BlazeFace gave ${outputs.length} outputs, expected 4`);
  const [logits384, logits512, boxes384, boxes512] = [...outputs].sort((a, b) => a.data.length - b.data.length) as [RawOutput, RawOutput, RawOutput, RawOutput];
  const rows: Float32Array[] = [];
  for (const [logits, boxes] of [[logits512, boxes512], [logits384, boxes384]] as const) {
    const n = logits.data.length;
    if (boxes.data.length !== n * (ROW - 1)) throw new Error(`BlazeFace outputs of ${n} logits and ${boxes.data.length} box values do not pair`);
    const part = new Float32Array(n * ROW);
    for (let i = 0; i < n; i++) {
      part[i * ROW] = logits.data[i] as number;
      part.set(boxes.data.subarray(i * (ROW - 1), (i + 1) * (ROW - 1)), i * ROW + 1);
    }
    rows.push(part);
  }
  const joined = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  joined.set(rows[0] as Float32Array, 0);
  joined.set(rows[1] as Float32Array, (rows[0] as Float32Array).length);
  return joined;
}

/**
 * Face boxes from the joined rows: scores above `minScore`, non-max suppression, then each box in the pixels of the
 * `side` x `side` square the detector's input was resized from, enlarged and squared. Ordered by score, highest first.
 */
export function decodeFaceBoxes(rows: Float32Array, anchors: Float32Array, side: number, minScore: number): FaceBox[] {
  const count = rows.length / ROW;
  if (anchors.length !== count * 2) throw new Error(`BlazeFace gave ${count} rows for ${anchors.length / 2} anchors`);
  const size = f(DETECTOR_SIZE);
  const boxes = new Float32Array(count * 4);
  const scores = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const row = i * ROW;
    for (let axis = 0; axis < 2; axis++) {
      // Human: centre = offset + anchor; start/end = (centre / 256 -/+ (size / 256) / 2) * 256, each a float32 tensor.
      const centre = f(f((rows[row + 1 + axis] as number) + (anchors[i * 2 + axis] as number)) / size);
      const half = f(f((rows[row + 3 + axis] as number) / size) / 2);
      boxes[i * 4 + axis] = f(f(centre - half) * size);
      boxes[i * 4 + 2 + axis] = f(f(centre + half) * size);
    }
    scores[i] = 1 / (1 + Math.exp(-(rows[row] as number)));
  }
  const factor = side / DETECTOR_SIZE;
  const faces: FaceBox[] = [];
  for (const i of nonMaxSuppression(boxes, scores, DETECTOR_SETTINGS.maxFaces, DETECTOR_SETTINGS.iouThreshold, minScore)) {
    const confidence = scores[i] as number;
    if (!(confidence > minScore)) continue;
    const box = squareBox(
      [(boxes[i * 4] as number) * factor, (boxes[i * 4 + 1] as number) * factor],
      [(boxes[i * 4 + 2] as number) * factor, (boxes[i * 4 + 3] as number) * factor],
    );
    // Human keeps a box whose rounded size exceeds face.detector.minSize (0).
    if (box.size[0] > 0 && box.size[1] > 0) faces.push({ start: box.start, end: box.end, confidence });
  }
  return faces;
}

/** Human's enlargeBox (by DETECTOR_SETTINGS.enlarge around the centre) then squarifyBox (longer side, rounded). */
function squareBox(start: [number, number], end: [number, number]): { start: [number, number]; end: [number, number]; size: [number, number] } {
  const centre = (s: [number, number], e: [number, number]) => [s[0] + (e[0] - s[0]) / 2, s[1] + (e[1] - s[1]) / 2] as const;
  const [cx, cy] = centre(start, end);
  const half = [DETECTOR_SETTINGS.enlarge * Math.abs(end[0] - start[0]) / 2, DETECTOR_SETTINGS.enlarge * Math.abs(end[1] - start[1]) / 2] as const;
  const enlargedStart: [number, number] = [cx - half[0], cy - half[1]];
  const enlargedEnd: [number, number] = [cx + half[0], cy + half[1]];
  const [sx, sy] = centre(enlargedStart, enlargedEnd);
  const size = [Math.abs(enlargedEnd[0] - enlargedStart[0]), Math.abs(enlargedEnd[1] - enlargedStart[1])] as const;
  const halfSide = Math.max(...size) / 2;
  return {
    start: [Math.round(sx - halfSide), Math.round(sy - halfSide)],
    end: [Math.round(sx + halfSide), Math.round(sy + halfSide)],
    size: [Math.round(size[0]), Math.round(size[1])],
  };
}

/**
 * tfjs' hard non-max suppression: candidates above `minScore` by score (ties: lower index first), each kept unless
 * it overlaps a kept one by IoU >= `iouThreshold`, at most `maxOutput`. Boxes are corner pairs; IoU is symmetric in
 * which coordinate is x.
 */
export function nonMaxSuppression(boxes: Float32Array, scores: Float32Array, maxOutput: number, iouThreshold: number, minScore: number): number[] {
  const candidates: number[] = [];
  scores.forEach((score, i) => {
    if (score > minScore) candidates.push(i);
  });
  candidates.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const kept: number[] = [];
  for (const i of candidates) {
    if (kept.length >= maxOutput) break;
    if (!kept.some((j) => iou(boxes, i, j) >= iouThreshold)) kept.push(i);
  }
  return kept;
}

/** tfjs' intersectionOverUnion, in double over the float32 corners. */
function iou(boxes: Float32Array, i: number, j: number): number {
  const corners = (k: number) => {
    const [a, b, c, d] = [boxes[k * 4], boxes[k * 4 + 1], boxes[k * 4 + 2], boxes[k * 4 + 3]] as [number, number, number, number];
    return { lo0: Math.min(a, c), lo1: Math.min(b, d), hi0: Math.max(a, c), hi1: Math.max(b, d) };
  };
  const p = corners(i);
  const q = corners(j);
  const areaP = (p.hi0 - p.lo0) * (p.hi1 - p.lo1);
  const areaQ = (q.hi0 - q.lo0) * (q.hi1 - q.lo1);
  if (areaP <= 0 || areaQ <= 0) return 0;
  const inter = Math.max(Math.min(p.hi0, q.hi0) - Math.max(p.lo0, q.lo0), 0) * Math.max(Math.min(p.hi1, q.hi1) - Math.max(p.lo1, q.lo1), 0);
  return inter / (areaP + areaQ - inter);
}
