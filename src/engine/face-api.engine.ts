/**
 * FaceEngine on @vladmandic/face-api: SSD MobileNet v1 or Tiny Face Detector, 68-point landmarks and
 * the 128-d ResNet-34 face recognition net ("faceapi-frnet-128").
 */
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Tensor3D } from '@tensorflow/tfjs';
import { ModelIntegrityError } from '../shared/errors.js';
import { initBackend, type BackendChoice, type FaceApi, type Tf } from './backend.js';
import type { Box, EngineInfo, EngineProfile, FaceEngine, FaceFinding, RgbImage } from './face-engine.js';
import { defaultManifestPath, verifyModelManifest, type ModelRole } from './model-manifest.js';

const require = createRequire(import.meta.url);
const FACE_API_PACKAGE = '@vladmandic/face-api';

/** Options of {@link createFaceApiEngine}. */
export interface FaceApiEngineOptions {
  /** tfjs backend; 'auto' prefers tfjs-node and falls back to wasm. */
  backend: BackendChoice;
  /** 'ssd' gives tighter boxes and steadier scores; 'tiny' is 2-3x faster and misses more small faces. */
  detector: 'ssd' | 'tiny';
  /** Detector confidence below which a face is not reported, in [0, 1]. Default 0.5. */
  minDetectionScore?: number;
  /** models/manifest.json to verify before loading; default: the one in this checkout. */
  manifestPath?: string;
  /**
   * Directory holding the face-api model files (e.g. copied out of node_modules into an image). They must
   * still match the manifest. Default: the installed package's model/ directory. Nets are shared by all
   * engines of a process (face-api keeps them global), so the first engine's directory wins.
   */
  modelDir?: string;
  /** WASM threads, see BackendOptions.wasmThreads. */
  wasmThreads?: number;
}

type NetKey = 'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net' | 'faceRecognitionNet';

const DETECTORS = {
  ssd: { net: 'ssdMobilenetv1', role: 'ssd-mobilenet-v1' },
  tiny: { net: 'tinyFaceDetector', role: 'tiny-face-detector' },
} as const satisfies Record<string, { net: NetKey; role: ModelRole }>;

/** Tiny's input resolution: 416 finds faces down to ~40 px in a phone selfie; 608 costs 2x for little gain. */
const TINY_INPUT_SIZE = 416;

/**
 * Verifies the model manifest, starts the backend, loads the nets and warms them up. Rejects, never
 * returns a half-working engine, when a file is missing or differs (ModelIntegrityError) or a net fails to load.
 */
export async function createFaceApiEngine(options: FaceApiEngineOptions): Promise<FaceEngine> {
  const minScore = options.minDetectionScore ?? 0.5;
  if (!(minScore >= 0 && minScore <= 1)) throw new RangeError(`minDetectionScore must be in [0, 1], got ${minScore}`);
  const packageDir = dirname(require.resolve(`${FACE_API_PACKAGE}/package.json`));
  const modelDir = options.modelDir ?? join(packageDir, 'model');
  const detector = DETECTORS[options.detector];

  const manifest = await verifyModelManifest(options.manifestPath ?? defaultManifestPath(), {
    resolveFile: (entry) =>
      options.modelDir && entry.package === FACE_API_PACKAGE ? join(modelDir, basename(entry.file)) : undefined,
  });
  // A manifest that simply leaves a net out would let unverified bytes through.
  const needed: ModelRole[] = [detector.role, 'face-landmark-68', 'face-recognition'];
  const unpinned = needed.filter((role) => !manifest.files.some((file) => file.role === role));
  if (unpinned.length > 0) throw new ModelIntegrityError(`Model manifest pins no file for: ${unpinned.join(', ')}`);

  const { faceapi, tf, backend } = await initBackend({ backend: options.backend, wasmThreads: options.wasmThreads });
  const nets: NetKey[] = [detector.net, 'faceLandmark68Net', 'faceRecognitionNet'];
  await acquireNets(faceapi, nets, modelDir);

  const detectorOptions =
    options.detector === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: minScore })
      : new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: minScore });
  const info: EngineInfo = {
    name: 'face-api',
    version: (require(`${FACE_API_PACKAGE}/package.json`) as { version: string }).version,
    model: 'faceapi-frnet-128',
    detector: detector.role,
    backend,
    embeddingSize: 128,
  };
  let disposed = false;

  /** Runs `use` on the image as an input tensor, which it then disposes. */
  async function withInput<T>(image: RgbImage, use: (input: Tensor3D) => Promise<T>): Promise<T> {
    if (disposed) throw new Error('Face engine used after dispose().');
    const { data, width, height } = image;
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || data.length !== width * height * 3) {
      throw new RangeError(`RgbImage of ${width}x${height} needs ${width * height * 3} bytes, got ${data.length}`);
    }
    // face-api leaves the input tensor to its owner and disposes its own intermediates.
    const input = tf.tensor3d(data, [height, width, 3], 'int32');
    try {
      return await use(input);
    } finally {
      input.dispose();
    }
  }

  function toFindings(results: readonly DescribedFace[], width: number, height: number): FaceFinding[] {
    return results
      .map((result) => ({
        box: clampBox(result.detection.box, width, height),
        score: result.detection.score,
        landmarks: result.landmarks.positions.map(({ x, y }) => ({ x, y })),
        embedding: Float32Array.from(result.descriptor),
      }))
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }

  function detectFaces(image: RgbImage): Promise<FaceFinding[]> {
    return withInput(image, async (input) => {
      const results = await faceapi.detectAllFaces(input, detectorOptions).withFaceLandmarks().withFaceDescriptors();
      return toFindings(results, image.width, image.height);
    });
  }

  /** The same chain as detectFaces, cut after the detector: face-api's landmark task accepts detections given to it. */
  function profile(image: RgbImage): Promise<EngineProfile> {
    return withInput(image, async (input) => {
      const t0 = performance.now();
      const detections = await faceapi.detectAllFaces(input, detectorOptions);
      const t1 = performance.now();
      const detected = Promise.resolve(detections.map((detection) => faceapi.extendWithFaceDetection({}, detection)));
      const results = await new faceapi.DetectAllFaceLandmarksTask(detected, input, false).withFaceDescriptors();
      const t2 = performance.now();
      return { detectMs: t1 - t0, describeMs: t2 - t1, faces: toFindings(results, image.width, image.height) };
    });
  }

  try {
    await warmUp(detectFaces, faceapi, tf);
  } catch (error) {
    releaseNets(faceapi, nets);
    throw error;
  }

  return {
    info,
    detectFaces,
    profile,
    tensorCount: () => tf.memory().numTensors,
    async dispose() {
      if (disposed) return;
      disposed = true;
      releaseNets(faceapi, nets);
    },
  };
}

/** The first inference allocates WASM memory and runs cold JavaScript; pay that at start, not on a job. */
async function warmUp(detectFaces: FaceEngine['detectFaces'], faceapi: FaceApi, tf: Tf): Promise<void> {
  await detectFaces(syntheticImage(160));
  // A synthetic image has no face, so the landmark and embedding nets are warmed directly, on a batch as photos give.
  const crops = [0, 1].map(() => tf.zeros([150, 150, 3], 'int32'));
  try {
    await faceapi.nets.faceLandmark68Net.detectLandmarks(crops);
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crops);
  } finally {
    tf.dispose(crops);
  }
}

/** One face as face-api's full chain (detection, landmarks, descriptor) returns it. */
type DescribedFace = Awaited<ReturnType<ReturnType<ReturnType<FaceApi['detectAllFaces']>['withFaceLandmarks']>['withFaceDescriptors']>>[number];

const netUsers = new Map<NetKey, number>();
const netLoads = new Map<NetKey, Promise<void>>();

/** face-api's nets are module-global, so engines in one process share them and count their users. */
async function acquireNets(faceapi: FaceApi, keys: readonly NetKey[], modelDir: string): Promise<void> {
  for (const key of keys) {
    netUsers.set(key, (netUsers.get(key) ?? 0) + 1);
    if (!netLoads.has(key)) netLoads.set(key, faceapi.nets[key].loadFromDisk(modelDir));
  }
  try {
    await Promise.all(keys.map((key) => netLoads.get(key)));
  } catch (error) {
    releaseNets(faceapi, keys);
    throw new Error(`face-api model failed to load from ${modelDir}: ${(error as Error).message}`, { cause: error });
  }
}

function releaseNets(faceapi: FaceApi, keys: readonly NetKey[]): void {
  for (const key of keys) {
    const users = (netUsers.get(key) ?? 1) - 1;
    netUsers.set(key, users);
    if (users > 0) continue;
    netLoads.delete(key);
    if (faceapi.nets[key].isLoaded) faceapi.nets[key].dispose();
  }
}

function clampBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  return { x, y, width: Math.min(width, box.x + box.width) - x, height: Math.min(height, box.y + box.height) - y };
}

/** A smooth gradient: deterministic, no face, exercises the full detector graph. */
function syntheticImage(size: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) data.fill((i % size) + Math.floor(i / size), i * 3, i * 3 + 3);
  return { data, width: size, height: size };
}
