/**
 * What the Human engine asks of its detector and face mesh, whichever runs them: Human itself on tfjs
 * (human-mesh-finder.ts) or the engine's own pipeline on onnxruntime (../native/native-mesh-finder.ts).
 */
import type { RgbImage } from '../face-engine.js';

/** One face: Human's face score and its 468 mesh points ([x, y, z], x and y in the image's pixels). */
export interface MeshFace {
  readonly score: number;
  readonly mesh: [number, number, number][];
  /** Human's own embedding of its crop ('human-crop' alignment only). */
  readonly embedding?: number[];
}

export interface MeshFinder {
  /** The faces of `image` as it is (no shrinking, no tiles: the engine does those), in detector order. */
  find(image: RgbImage): Promise<MeshFace[]>;
  dispose(): Promise<void>;
}
