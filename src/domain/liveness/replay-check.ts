/**
 * Replay: a selfie or frame already submitted for this subject (the same file, or a re-encoded, rescaled copy:
 * perceptual hashes a few bits apart), or a frame set already submitted. Each is a flag for a person, not a verdict:
 * a pensioner may resend yesterday's photo by mistake. Only whole-image fingerprints of the same subject are
 * compared, never faces. Document photos are the document registry's business (src/domain/documents): a whole-page
 * hash cannot tell two passports of one design apart.
 */
import { newId } from '../../shared/ids.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { hammingDistance } from './image-fingerprint.js';
import type { LivenessPorts, StoredFingerprint } from './liveness-ports.js';

export type ReplayReason = 'REPLAY_IMAGE_REUSED' | 'REPLAY_FRAME_SET_REUSED';

/** One image of the submission being checked. */
export interface SubmittedImage {
  /** 'selfie' or 'frame-NN'. */
  readonly role: string;
  readonly phash: string;
  readonly sha256: string;
}

export interface ReplayPolicy {
  /** Largest pHash distance (bits of 64) that still counts as the same picture. At most 3 (see the index). */
  readonly maxHamming: number;
}

export const DEFAULT_REPLAY_POLICY: ReplayPolicy = { maxHamming: 3 };

export interface ReplayFindings {
  readonly reasons: readonly ReplayReason[];
  /** Which earlier submission each flagged image resembles (ids only). */
  readonly matches: readonly { readonly role: string; readonly submissionId: string; readonly bits: number; readonly otherSubject: boolean }[];
}

export interface ReplayCheckerDeps {
  readonly uow: UnitOfWork<Pick<LivenessPorts, 'fingerprints'>>;
  /** DEFAULT_REPLAY_POLICY when left out. */
  readonly policy?: ReplayPolicy;
}

export class ReplayChecker {
  private readonly policy: ReplayPolicy;

  constructor(private readonly deps: ReplayCheckerDeps) {
    this.policy = deps.policy ?? DEFAULT_REPLAY_POLICY;
    if (!(this.policy.maxHamming >= 0 && this.policy.maxHamming <= 3)) throw new RangeError('maxHamming must be 0-3 (four 16-bit index parts)');
  }

  /** Compares a submission's images with what was submitted before. Read-only. */
  async check(subjectId: string, submissionId: string, images: readonly SubmittedImage[]): Promise<ReplayFindings> {
    const reasons = new Set<ReplayReason>();
    const matches: { role: string; submissionId: string; bits: number; otherSubject: boolean }[] = [];
    const live = (await this.deps.uow.ports.fingerprints.earlierForSubject(subjectId, submissionId)).filter((f) => f.role !== 'document');

    const frames = images.filter((i) => i.role.startsWith('frame-'));
    const frameHits = new Map<string, number>();
    for (const image of images) {
      const hit = this.closest(image, live);
      if (!hit) continue;
      matches.push({ role: image.role, submissionId: hit.match.submissionId, bits: hit.bits, otherSubject: false });
      if (image.role.startsWith('frame-')) frameHits.set(hit.match.submissionId, (frameHits.get(hit.match.submissionId) ?? 0) + 1);
      else reasons.add('REPLAY_IMAGE_REUSED');
    }
    // One frame like an earlier one can happen (a still moment); half the set like one earlier set is a replay.
    if (frames.length && [...frameHits.values()].some((n) => n * 2 >= frames.length)) reasons.add('REPLAY_FRAME_SET_REUSED');
    else if (frameHits.size) reasons.add('REPLAY_IMAGE_REUSED');

    return { reasons: [...reasons], matches };
  }

  /** Stores the submission's fingerprints, for the checks of later submissions. */
  async record(subjectId: string, submissionId: string, images: readonly SubmittedImage[], at: Date): Promise<void> {
    for (const image of images) {
      await this.deps.uow.ports.fingerprints.insert({ id: newId(), subjectId, submissionId, role: image.role, phash: image.phash, sha256: image.sha256, createdAt: at });
    }
  }

  private closest(image: SubmittedImage, candidates: readonly StoredFingerprint[]): { match: StoredFingerprint; bits: number } | null {
    let best: { match: StoredFingerprint; bits: number } | null = null;
    for (const candidate of candidates) {
      const bits = candidate.sha256 === image.sha256 ? 0 : hammingDistance(candidate.phash, image.phash);
      if (bits <= this.policy.maxHamming && (!best || bits < best.bits)) best = { match: candidate, bits };
    }
    return best;
  }
}
