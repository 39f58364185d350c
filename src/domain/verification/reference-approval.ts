import type { ModelCalibration } from '../../config/calibration.js';
import type { ScopeNeed } from '../consent/consent.js';
import type { LivenessResult } from '../liveness/liveness-assessor.js';
import type { ReferenceApproval } from '../submissions/submission.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import { euclideanDistance } from './decision.js';
import { verifiesAgainstAnchors } from './gallery-decision.js';
import type { TemplateRepository } from './verification-ports.js';

/** The reads the judgement needs; the repositories and the vault implement them. */
export interface ReferenceApprovalPorts {
  readonly templates: Pick<TemplateRepository, 'findUsable' | 'findActive'>;
  readonly vault: Pick<BiometricVault, 'openEmbedding'>;
  readonly consents: { isCovered(subjectId: string, needs: readonly ScopeNeed[]): Promise<boolean> };
  /** The calibration of the model the selfie's embedding was made with (the same thresholds as the workers'). */
  calibrationFor(model: string): ModelCalibration;
}

const NEEDS: readonly ScopeNeed[] = ['referenceTemplate'];

/**
 * Judges a reviewed proof of life's selfie, kept pending when the case went to review, by the same rules as a
 * machine-verified one: the consent scope `referenceTemplate`, and the poisoning guard (the selfie must verify
 * against the enrolment's anchors alone, whatever the reviewer saw). Read-only: the caller settles it.
 */
export async function judgeReviewedSelfie(
  ports: ReferenceApprovalPorts, subjectId: string, submissionId: string,
): Promise<{ approval: ReferenceApproval; templateId: string | null; model: string | null }> {
  const candidate = (await ports.templates.findUsable(subjectId))
    .find((t) => t.submissionId === submissionId && t.status === 'pending_review');
  if (!candidate) return { approval: 'no_candidate', templateId: null, model: null };
  const settled = (approval: ReferenceApproval) => ({ approval, templateId: candidate.id, model: candidate.model });
  if (!(await ports.consents.isCovered(subjectId, NEEDS))) return settled('no_consent');
  const selfie = await ports.vault.openEmbedding(subjectId, candidate.id, candidate.sealedEmbedding);
  const anchors = (await ports.templates.findActive(subjectId, candidate.model)).filter((t) => t.origin !== 'verification');
  const distances: number[] = [];
  for (const anchor of anchors) {
    distances.push(euclideanDistance(selfie, await ports.vault.openEmbedding(subjectId, anchor.id, anchor.sealedEmbedding)));
  }
  return settled(verifiesAgainstAnchors(distances, ports.calibrationFor(candidate.model)) ? 'joined' : 'refused_by_guard');
}

/**
 * A reviewer's approval covers the face, not the capture: a selfie sent to review becomes a reference candidate only
 * when the quality gate and the passive check passed, the challenge (where one was answered) passed, and no replay was
 * flagged. A case in review for an attack or a poor capture never feeds the gallery, whatever the reviewer decides.
 */
export function mayBecomeReference(checked: Pick<LivenessResult, 'quality' | 'liveness' | 'challenge' | 'replay'>): boolean {
  return checked.quality.pass && (checked.liveness?.pass ?? true) && (checked.challenge?.pass ?? true) && checked.replay.reasons.length === 0;
}
