import type { ModelCalibration } from '../../config/calibration.js';
import type { FaceEngine } from '../../engine/face-engine.js';
import type { BiometricVault } from '../../storage/blobs/biometric-vault.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { TemplateStatus } from '../../storage/repositories/template.repository.js';
import type { Decision, MatchResult, ReferenceScore } from '../submissions/submission.js';
import { decideMatch, estimatedFarOf, euclideanDistance, similarityOf, thresholdsOf, type MatchReason } from './decision.js';
import type { FaceAnalysis } from './face-analysis.js';

/** A template to keep after an enrolment; sealed when recorded. */
export interface NewTemplate {
  readonly source: 'selfie' | 'document';
  readonly embedding: Float32Array;
  readonly faceScore: number;
  readonly status: TemplateStatus;
}

export type Comparison =
  | { readonly decision: Decision; readonly reason: MatchReason; readonly match: MatchResult; readonly templates: readonly NewTemplate[] }
  | { readonly failure: string };

interface MatchDeps {
  readonly db: Database;
  readonly vault: BiometricVault;
  readonly engine: FaceEngine;
  readonly calibration: ModelCalibration;
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
  return { decision, reason, match: matchResult(deps, distance, scores), templates };
}

/** Verification: the new selfie against every active reference of the subject; the best score decides. */
export async function compareWithReferences(deps: MatchDeps, subjectId: string, selfie: FaceAnalysis): Promise<Comparison> {
  if (!selfie.face) throw new Error('compareWithReferences needs a face on the selfie');
  const repo = createRepositories(deps.db).templates;
  // During a model upgrade a subject already carried over has no active reference of the workers' (old) model; the
  // superseded ones are still held for the grace period, so proof of life goes on until the workers switch.
  let references = await repo.findActive(subjectId, deps.engine.info.model);
  if (!references.length) references = await repo.findSupersededHeld(subjectId, deps.engine.info.model);
  if (!references.length) return { failure: 'NO_ACTIVE_REFERENCE' };
  const scores: ReferenceScore[] = [];
  for (const ref of references) {
    const embedding = await deps.vault.openEmbedding(subjectId, ref.id, ref.sealedEmbedding);
    const distance = euclideanDistance(selfie.face.embedding, embedding);
    scores.push({
      templateId: ref.id, source: ref.source, enrolledAt: ref.createdAt.toISOString(),
      distance: round(distance), similarity: similarityOf(distance, deps.calibration),
    });
  }
  const best = Math.min(...scores.map((s) => s.distance));
  const { decision, reason } = decideMatch(best, deps.calibration);
  return { decision, reason, match: matchResult(deps, best, scores), templates: [] };
}

function matchResult(deps: MatchDeps, distance: number, scores: ReferenceScore[]): MatchResult {
  const { info } = deps.engine;
  return {
    similarity: similarityOf(distance, deps.calibration),
    distance: round(distance),
    estimatedFar: estimatedFarOf(distance, deps.calibration),
    metric: deps.calibration.metric,
    threshold: thresholdsOf(deps.calibration),
    comparedWith: scores,
    model: { name: `${info.name}/${info.model}`, version: info.version, detector: info.detector, backend: info.backend },
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
