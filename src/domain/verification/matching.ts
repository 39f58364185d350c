import type { ModelCalibration } from '../../config/calibration.js';
import type { FaceEngine } from '../../engine/face-engine.js';
import { DAY_MS } from '../../shared/clock.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { TemplateStatus } from './template.js';
import type { MatchPorts } from './verification-ports.js';
import type { Decision, MatchResult, ReferenceScore } from '../submissions/submission.js';
import { decideMatch, estimatedFarOf, euclideanDistance, similarityOf, thresholdsOf, type MatchReason } from './decision.js';
import type { FaceAnalysis } from './face-analysis.js';
import { decideOnGallery, verifiesAgainstAnchors } from './gallery-decision.js';

/** A template to keep after an enrolment; sealed when recorded. */
export interface NewTemplate {
  readonly source: 'selfie' | 'document';
  readonly embedding: Float32Array;
  readonly faceScore: number;
  readonly status: TemplateStatus;
}

export type Comparison =
  | {
      readonly decision: Decision; readonly reason: MatchReason; readonly match: MatchResult; readonly templates: readonly NewTemplate[];
      /** A proof-of-life selfie to keep pending a reviewer's word should the case go to review (not yet a reference). */
      readonly candidate?: NewTemplate;
    }
  | { readonly failure: string };

interface MatchDeps {
  readonly uow: UnitOfWork<MatchPorts>;
  readonly vault: Pick<BiometricVault, 'openEmbedding'>;
  readonly engine: FaceEngine;
  readonly calibration: ModelCalibration;
  /** Measures the references' ages. */
  readonly clock: { now(): Date };
}

/**
 * Enrolment: the selfie against the document portrait. Both become references: active when the
 * match is verified, pending a reviewer's word in the review band, and not kept at all when rejected.
 */
export function compareEnrolment(deps: MatchDeps, selfie: FaceAnalysis, document: FaceAnalysis): Comparison {
  if (!selfie.face || !document.face) throw new Error('compareEnrolment needs a face on both images');
  const distance = euclideanDistance(selfie.face.embedding, document.face.embedding);
  const scores: ReferenceScore[] = [
    { templateId: null, source: 'document', enrolledAt: null, distance: round(distance), similarity: similarityOf(distance, deps.calibration) },
  ];
  const { decision, reason } = decideMatch(distance, deps.calibration);
  const status: TemplateStatus | null = decision === 'verified' ? 'active' : decision === 'needs_review' ? 'pending_review' : null;
  const templates: NewTemplate[] = status
    ? [
        { source: 'selfie', embedding: selfie.face.embedding, faceScore: selfie.face.score, status },
        { source: 'document', embedding: document.face.embedding, faceScore: document.face.score, status },
      ]
    : [];
  return { decision, reason, match: matchResult(deps, deps.calibration, distance, scores), templates };
}

/**
 * Verification: the new selfie against every reference of the subject's gallery (the enrolment's anchors and the
 * proof-of-life selfies that joined), fused by the calibrated rule and decided with that gallery size's thresholds.
 * A verified selfie is offered to the gallery only if it also verifies against the anchors alone (the poisoning
 * guard); the processor keeps it only when the whole check (quality, passive, challenge) verified too.
 */
export async function compareWithReferences(deps: MatchDeps, subjectId: string, selfie: FaceAnalysis): Promise<Comparison> {
  if (!selfie.face) throw new Error('compareWithReferences needs a face on the selfie');
  const repo = deps.uow.ports.templates;
  // During a model upgrade a subject already carried over has no active reference of the workers' (old) model; the
  // superseded ones are still held for the grace period, so proof of life goes on until the workers switch.
  const active = await repo.findActive(subjectId, deps.engine.info.model);
  const references = active.length ? active : await repo.findSupersededHeld(subjectId, deps.engine.info.model);
  if (!references.length) return { failure: 'NO_ACTIVE_REFERENCE' };
  const now = deps.clock.now();
  const scores: ReferenceScore[] = [];
  const distances: number[] = [];
  const anchorDistances: number[] = [];
  for (const ref of references) {
    const embedding = await deps.vault.openEmbedding(subjectId, ref.id, ref.sealedEmbedding);
    const distance = euclideanDistance(selfie.face.embedding, embedding);
    distances.push(distance);
    if (ref.origin !== 'verification') anchorDistances.push(distance);
    scores.push({
      templateId: ref.id, source: ref.origin, enrolledAt: ref.createdAt.toISOString(),
      ageDays: Math.max(0, Math.floor((now.getTime() - ref.createdAt.getTime()) / DAY_MS)),
      distance: round(distance), similarity: similarityOf(distance, deps.calibration),
    });
  }
  const verdict = decideOnGallery(distances, deps.calibration);
  // References held only for a model upgrade's grace period are not a gallery to grow.
  const joins = active.length > 0 && verdict.decision === 'verified' && verifiesAgainstAnchors(anchorDistances, deps.calibration);
  const templates: NewTemplate[] = joins ? [{ source: 'selfie', embedding: selfie.face.embedding, faceScore: selfie.face.score, status: 'active' }] : [];
  const match: MatchResult = {
    ...matchResult(deps, verdict.calibration, verdict.fusedDistance, scores),
    fusion: {
      rule: verdict.rule, gallerySize: verdict.gallerySize, calibratedSize: verdict.calibratedSize, fusedDistance: round(verdict.fusedDistance),
      verifyMaxDistance: verdict.calibration.verifyMaxDistance, reviewMaxDistance: verdict.calibration.reviewMaxDistance,
    },
  };
  const candidate: NewTemplate | undefined = active.length > 0
    ? { source: 'selfie', embedding: selfie.face.embedding, faceScore: selfie.face.score, status: 'pending_review' }
    : undefined;
  return { decision: verdict.decision, reason: verdict.reason, match, templates, ...(candidate ? { candidate } : {}) };
}

/** `calibration`: the thresholds that decided (the model's, or a gallery size's), so every field reads alike. */
function matchResult(deps: MatchDeps, calibration: ModelCalibration, distance: number, scores: ReferenceScore[]): MatchResult {
  const { info } = deps.engine;
  return {
    similarity: similarityOf(distance, calibration),
    distance: round(distance),
    estimatedFar: estimatedFarOf(distance, calibration),
    metric: calibration.metric,
    threshold: thresholdsOf(calibration),
    comparedWith: scores,
    model: { name: `${info.name}/${info.model}`, version: info.version, detector: info.detector, backend: info.backend },
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
