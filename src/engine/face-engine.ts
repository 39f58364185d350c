/**
 * The face engine contract. Everything above this line of the architecture sees plain values;
 * tfjs, its tensors and its backends stay behind the implementation.
 */

/** An image already decoded to packed 8-bit RGB, row-major, EXIF orientation applied. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Axis-aligned box in the pixel coordinates of the image the engine was given. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One face found in an image, with the embedding of its aligned crop. */
export interface FaceFinding {
  readonly box: Box;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
  /** 68-point landmarks (iBUG layout) in image coordinates. */
  readonly landmarks: readonly Point[];
  readonly embedding: Float32Array;
}

/** What produced a result, reported with every match so that a score can be traced to its model. */
export interface EngineInfo {
  /** Engine family, e.g. "face-api". */
  readonly name: string;
  /** Package version of the engine library. */
  readonly version: string;
  /** Embedding model identifier, the key of its calibration in models/calibration.json. */
  readonly model: string;
  /** Detector in use, e.g. "ssd-mobilenet-v1". */
  readonly detector: string;
  /** tfjs backend actually running: "tensorflow" (tfjs-node) or "wasm". */
  readonly backend: string;
  readonly embeddingSize: number;
}

/** What {@link FaceEngine.profile} measured on one image: the same work as detectFaces, timed by stage. */
export interface EngineProfile {
  /** Wall time of the face detector alone, in milliseconds. */
  readonly detectMs: number;
  /** Wall time of landmarks plus embedding for every face the detector found, in milliseconds. */
  readonly describeMs: number;
  /** The findings, as detectFaces would return them. */
  readonly faces: FaceFinding[];
}

export interface FaceEngine {
  readonly info: EngineInfo;
  /** All faces the detector accepts, largest first, each with landmarks and embedding. */
  detectFaces(image: RgbImage): Promise<FaceFinding[]>;
  /**
   * Optional, for benchmarks (scripts/bench.ts) and diagnostics: detectFaces split into its stages, each timed.
   * An engine that cannot separate detection from description leaves it out; callers must not depend on it.
   */
  profile?(image: RgbImage): Promise<EngineProfile>;
  /** Live tfjs tensor count, so tests and metrics can prove nothing leaks between jobs. */
  tensorCount(): number;
  dispose(): Promise<void>;
}
