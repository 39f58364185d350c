/**
 * The API's one way to normalise uploads: normalizeUpload with the configured limits, at most `concurrency` at once
 * across every route. Each decode holds its pixels (a 12 MP photo is ~36 MB), and libvips runs as many as the
 * thread pool allows: with 50 uploads arriving together that is memory spent without finishing any sooner than
 * one per core (docs/BENCHMARKS.md, section 5).
 */
import { limitConcurrency } from '../shared/concurrency-limit.js';
import { normalizeUpload, type ImageLimits, type NormalizedImage } from './image-codec.js';

export type NormalizeImage = (bytes: Buffer, field: string) => Promise<NormalizedImage>;

export function imageNormalizer(limits: ImageLimits, concurrency: number): NormalizeImage {
  return limitConcurrency((bytes: Buffer, field: string) => normalizeUpload(bytes, field, limits), concurrency);
}
