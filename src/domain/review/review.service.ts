import type { Clock } from '../../shared/clock.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import { settleFirstConsents } from '../consent/consent-confirmation.service.js';
import { retentionRules, timerFor, type RetentionSettings } from '../retention/retention-policy.js';
import type { ReferenceApproval, Submission } from '../submissions/submission.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { keepGalleryBounded } from '../verification/gallery-membership.js';
import { judgeReviewedSelfie, type ReferenceApprovalPorts } from '../verification/reference-approval.js';
import type { QueueEntry, QueueFilter, ReviewOutcome, ReviewPorts, ReviewRecord } from './review-ports.js';

export type { ReviewOutcome };

/** The fixed reasons a reviewer chooses from, per outcome: statistics and appeals need codes, not prose. */
export const REVIEW_REASONS: Readonly<Record<ReviewOutcome, readonly string[]>> = {
  approve: ['SAME_PERSON_CONFIRMED', 'DOCUMENT_PHOTO_OLD_BUT_MATCHES', 'POOR_IMAGE_BUT_CLEARLY_SAME'],
  reject: ['DIFFERENT_PERSON', 'DOCUMENT_NOT_GENUINE', 'PRESENTATION_ATTACK_SUSPECTED'],
  recapture: ['IMAGE_TOO_POOR', 'FACE_NOT_VISIBLE', 'WRONG_DOCUMENT_PAGE'],
};

/** Told after a person's decision is committed (webhooks, metrics). */
export interface ReviewEvents {
  decided(event: { submissionId: string; subjectId: string; outcome: ReviewOutcome; decision: 'verified' | 'rejected' }): void;
}

export interface ReviewSettings {
  /** A claim untouched this long may be taken over by another reviewer. */
  readonly claimTtlMs: number;
  /** Delete a reviewed case's images at once instead of after the usual term. */
  readonly deleteImagesAfterReview: boolean;
}

/** What a reviewer's approval of a proof-of-life selfie as a reference needs: the gallery's join rules and size. */
export interface ReviewReferenceSettings extends Omit<ReferenceApprovalPorts, 'templates'> {
  /** GALLERY_MAX_RECENT. */
  readonly maxRecent: number;
}

/** A reviewer's decision; `keepAsReference` asks that an approved proof of life's selfie join the gallery. */
export interface ReviewDecisionInput {
  readonly outcome: ReviewOutcome;
  readonly reasonCode: string;
  readonly comment: string;
  readonly keepAsReference?: boolean;
}

export interface ReviewServiceDeps {
  readonly uow: UnitOfWork<ReviewPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly retention: RetentionSettings;
  readonly settings: ReviewSettings;
  readonly timers: { scheduleSubmission(submissionId: string): Promise<void> };
  readonly events: ReviewEvents;
  /** Without it (tools, tests), an approval never adds a reference. */
  readonly references?: ReviewReferenceSettings;
}

/**
 * Human review of what the machine could not decide: a queue, exclusive claims, and a decision with a
 * reason code that changes the submission's answer (the machine's decision is kept beside it).
 */
export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  queue(filter: QueueFilter): Promise<QueueEntry[]> {
    return this.deps.uow.ports.reviews.queue(filter);
  }

  counts(): Promise<{ reason: string; count: number }[]> {
    return this.deps.uow.ports.reviews.countsByReason();
  }

  /** Whether a claim taken at `claimedAt` still holds: the same rule `claim` applies when someone else asks for the case. */
  claimHolds(claimedAt: Date | null): boolean {
    return claimedAt !== null && this.deps.clock.now().getTime() - claimedAt.getTime() < this.deps.settings.claimTtlMs;
  }

  async claim(submissionId: string, actor: Actor & { id: string }): Promise<void> {
    const { uow, clock, settings, audit } = this.deps;
    const now = clock.now();
    const ok = await uow.ports.reviews.claim(submissionId, actor.id, now, new Date(now.getTime() - settings.claimTtlMs));
    if (!ok) throw new ConflictError('CASE_NOT_AVAILABLE', 'This case is decided already or being reviewed by someone else.');
    await audit.record({ actor, action: 'review.claimed', purpose: PURPOSE, targetType: 'submission', targetId: submissionId, outcome: 'success' });
  }

  async decide(
    submissionId: string,
    actor: Actor & { id: string },
    staffName: string,
    input: ReviewDecisionInput,
  ): Promise<'verified' | 'rejected'> {
    if (!REVIEW_REASONS[input.outcome].includes(input.reasonCode)) {
      throw new ValidationError('REVIEW_REASON_INVALID', `"${input.reasonCode}" is not a reason for "${input.outcome}".`);
    }
    const { uow, audit, clock, settings } = this.deps;
    const now = clock.now();
    const decision = input.outcome === 'approve' ? 'verified' : 'rejected';
    // Judged before the transaction: opening embeddings reads the subject's key outside any transaction's scope.
    const judged = input.outcome === 'approve' && input.keepAsReference ? await this.judgeSelfie(submissionId) : null;
    const result = await uow.transaction(async (ports) => {
      const submission = await ports.submissions.findById(submissionId);
      if (!submission) throw new ConflictError('CASE_NOT_AVAILABLE', 'No such case.');
      const reasons = [...submission.reasons, `REVIEW_${input.reasonCode}`, ...(input.outcome === 'recapture' ? ['RECAPTURE_REQUESTED'] : [])];
      const referenceApproval = submission.kind === 'verification'
        ? await this.settleSelfie(ports, submission, judged, actor, now)
        : null;
      const review: ReviewRecord = {
        outcome: input.outcome, reasonCode: input.reasonCode, comment: input.comment, by: actor.id, byName: staffName,
        at: now.toISOString(), ...(referenceApproval ? { referenceApproval } : {}),
      };
      if (!(await ports.reviews.decide(submissionId, actor.id, decision, reasons, review))) {
        throw new ConflictError('CASE_NOT_CLAIMED', 'Claim the case before deciding it (or it was decided already).');
      }
      if (submission.kind === 'enrollment') {
        await ports.templates.settlePending(submissionId, decision === 'verified');
        if (decision === 'verified') await ports.subjects.markEnrolled(submission.subjectId, now);
        else await ports.items.scheduleTemplatesOf(submissionId, now, 'review-rejected');
        await settleFirstConsents(audit, ports, {
          subjectId: submission.subjectId, submissionId, decision, score: submission.result?.match?.similarity ?? null, actor, at: now,
        });
      }
      const rules = retentionRules(this.deps.retention);
      for (const itemClass of ['selfie_image', 'document_image'] as const) {
        const timer = settings.deleteImagesAfterReview ? { deleteAt: now, policy: 'deleted-after-review' } : timerFor(rules[itemClass], now);
        if (timer.deleteAt) await ports.items.reschedule(submissionId, itemClass, timer.deleteAt, timer.policy);
      }
      await audit.record({
        actor, action: 'review.decided', purpose: PURPOSE, subjectId: submission.subjectId, targetType: 'submission',
        targetId: submissionId, outcome: 'success', details: { outcome: input.outcome, reasonCode: input.reasonCode, decision, ...(referenceApproval ? { referenceApproval } : {}) },
      }, ports);
      return { subjectId: submission.subjectId };
    });
    await this.deps.timers.scheduleSubmission(submissionId);
    this.deps.events.decided({ submissionId, subjectId: result.subjectId, outcome: input.outcome, decision });
    return decision;
  }

  private async judgeSelfie(submissionId: string): Promise<{ approval: ReferenceApproval; model: string | null } | null> {
    const { uow, references } = this.deps;
    const submission = await uow.ports.submissions.findById(submissionId);
    if (submission?.kind !== 'verification') return null;
    if (!references) return { approval: 'no_candidate', model: null };
    return judgeReviewedSelfie({ ...references, templates: uow.ports.templates }, submission.subjectId, submissionId);
  }

  /**
   * The proof of life's selfie kept pending at processing joins the gallery when the reviewer asked and the judgement
   * let it (the same join as a machine-verified selfie's: audited, the oldest recent reference retired); otherwise it
   * leaves use and its embedding is purged. Null when the reviewer did not ask.
   */
  private async settleSelfie(
    ports: ReviewPorts, submission: Submission, judged: { approval: ReferenceApproval; model: string | null } | null,
    actor: Actor, now: Date,
  ): Promise<ReferenceApproval | null> {
    const joins = judged?.approval === 'joined' && judged.model !== null;
    const [joinedId] = await ports.templates.settlePending(submission.id, joins);
    if (joins && joinedId) {
      await keepGalleryBounded(this.deps.audit, ports, {
        subjectId: submission.subjectId, submissionId: submission.id, joinedId, model: judged.model!,
        maxRecent: this.deps.references!.maxRecent, actor, at: now,
      });
      return 'joined';
    }
    await ports.items.scheduleTemplatesOf(submission.id, now, 'review-not-kept');
    // Withdrawn between the judgement and now: the selfie had left use already.
    if (joins) return 'no_consent';
    return judged?.approval ?? null;
  }
}
