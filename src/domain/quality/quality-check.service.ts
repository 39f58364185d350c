/**
 * The synchronous quality check behind POST /v1/quality-check: decode, find faces, assess. Nothing is stored and
 * nothing is queued; the answer tells the app at once whether the photo will do and what to fix.
 */
import type { FaceEngine, RgbImage } from '../../engine/face-engine.js';
import { assessQuality, type QualityReport } from './quality-assessment.js';
import type { QualityThresholds } from './quality-thresholds.js';

export interface QualityCheckDeps {
  readonly engine: Pick<FaceEngine, 'detectFaces'>;
  readonly decodeRgb: (jpeg: Uint8Array) => Promise<RgbImage>;
  readonly thresholds: QualityThresholds;
}

export interface QualityCheckResult {
  readonly report: QualityReport;
  readonly timings: { readonly decodeMs: number; readonly inferenceMs: number; readonly assessMs: number };
}

/**
 * What the quality route needs: one check of one normalised JPEG. The API runs QualityCheckService behind a thread
 * pool (src/bootstrap/quality-threads.ts) so that detection never blocks the request loop.
 */
export interface QualityChecker {
  check(jpeg: Uint8Array): Promise<QualityCheckResult>;
}

export class QualityCheckService implements QualityChecker {
  constructor(private readonly deps: QualityCheckDeps) {}

  /** Checks one normalised (checked, oriented, size-capped) JPEG. */
  async check(jpeg: Uint8Array): Promise<QualityCheckResult> {
    const t0 = performance.now();
    const rgb = await this.deps.decodeRgb(jpeg);
    const t1 = performance.now();
    const faces = await this.deps.engine.detectFaces(rgb);
    const t2 = performance.now();
    const report = assessQuality(rgb, faces, this.deps.thresholds);
    const t3 = performance.now();
    return { report, timings: { decodeMs: ms(t1 - t0), inferenceMs: ms(t2 - t1), assessMs: ms(t3 - t2) } };
  }
}

const ms = (v: number) => Math.round(v * 10) / 10;
