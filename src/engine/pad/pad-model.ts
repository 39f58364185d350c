/**
 * Passive presentation-attack detection (PAD) models behind a small interface: given a decoded photo and the box of
 * the face the face engine found, each model's probability that the face is live. tfjs stays behind it, like the
 * face engine's.
 */
import type { Box, RgbImage } from '../face-engine.js';

/** Each model's output for one face, in [0, 1], higher = more likely a live person. */
export interface PadScores {
  /** Human's `antispoof` net (128x128 face crop): probability the face is real. */
  readonly antispoof: number;
  /** Human's `liveness` net (32x32 face crop): probability the face is live. */
  readonly liveness: number;
}

export interface PadModelInfo {
  /** Package the model files come from, with its version. */
  readonly source: string;
  readonly models: readonly string[];
  /** Side of the square crop around the face, as a multiple of the longer side of the face box. */
  readonly framing: number;
  readonly backend: string;
}

export interface PadModel {
  readonly info: PadModelInfo;
  /** Scores one face of an image (face box in the image's pixel coordinates). */
  score(image: RgbImage, face: Box): Promise<PadScores>;
  /** Live tfjs tensor count (shared with the face engine): tests check it does not grow. */
  tensorCount(): number;
  dispose(): Promise<void>;
}
