import type { Clock } from '../../shared/clock.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { QueueEntry, QueueFilter, ReviewRecord } from '../../storage/repositories/review.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import { retentionRules, timerFor, type RetentionSettings } from '../retention/retention-policy.js';

export type ReviewOutcome = ReviewRecord['outcome'];

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

/**
 * Human review of what the machine could not decide: a queue, exclusive claims, and a decision with a
 * reason code that changes the submission's answer (the machine's decision is kept beside it).
 */
export class ReviewService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly retention: RetentionSettings,
    private readonly settings: ReviewSettings,
    private readonly timers: { scheduleSubmission(submissionId: string): Promise<void> },
    private readonly events: ReviewEvents,
  ) {}

  queue(filter: QueueFilter): Promise<QueueEntry[]> {
    return createRepositories(this.db).reviews.queue(filter);
  }

  counts(): Promise<{ reason: string; count: number }[]> {
    return createRepositories(this.db).reviews.countsByReason();
  }

  async claim(submissionId: string, actor: Actor & { id: string }): Promise<void> {
    const now = this.clock.now();
    const ok = await createRepositories(this.db).reviews.claim(submissionId, actor.id, now, new Date(now.getTime() - this.settings.claimTtlMs));
    if (!ok) throw new ConflictError('CASE_NOT_AVAILABLE', 'This case is decided already or being reviewed by someone else.');
    await this.audit.record({ actor, action: 'review.claimed', purpose: PURPOSE, targetType: 'submission', targetId: submissionId, outcome: 'success' });
  }

  async decide(
    submissionId: string,
    actor: Actor & { id: string },
    staffName: string,
    input: { outcome: ReviewOutcome; reasonCode: string; comment: string },
  ): Promise<'verified' | 'rejected'> {
    if (!REVIEW_REASONS[input.outcome].includes(input.reasonCode)) {
      throw new ValidationError('REVIEW_REASON_INVALID', `"${input.reasonCode}" is not a reason for "${input.outcome}".`);
    }
    const now = this.clock.now();
    const decision = input.outcome === 'approve' ? 'verified' : 'rejected';
    const result = await this.db.transaction(async (tx) => {
      const repos = createRepositories(tx);
      const submission = await repos.submissions.findById(submissionId);
      if (!submission) throw new ConflictError('CASE_NOT_AVAILABLE', 'No such case.');
      const reasons = [...submission.reasons, `REVIEW_${input.reasonCode}`, ...(input.outcome === 'recapture' ? ['RECAPTURE_REQUESTED'] : [])];
      const review: ReviewRecord = { ...input, by: actor.id, byName: staffName, at: now.toISOString() };
      if (!(await repos.reviews.decide(submissionId, actor.id, decision, reasons, review))) {
        throw new ConflictError('CASE_NOT_CLAIMED', 'Claim the case before deciding it (or it was decided already).');
      }
      if (submission.kind === 'enrollment') {
        await repos.templates.settlePending(submissionId, decision === 'verified');
        if (decision === 'verified') await repos.subjects.markEnrolled(submission.subjectId, now);
        else await repos.items.scheduleTemplatesOf(submissionId, now, 'review-rejected');
      }
      const rules = retentionRules(this.retention);
      for (const itemClass of ['selfie_image', 'document_image'] as const) {
        const timer = this.settings.deleteImagesAfterReview ? { deleteAt: now, policy: 'deleted-after-review' } : timerFor(rules[itemClass], now);
        if (timer.deleteAt) await repos.items.reschedule(submissionId, itemClass, timer.deleteAt, timer.policy);
      }
      await this.audit.record({
        actor, action: 'review.decided', purpose: PURPOSE, subjectId: submission.subjectId, targetType: 'submission',
        targetId: submissionId, outcome: 'success', details: { outcome: input.outcome, reasonCode: input.reasonCode, decision },
      }, tx);
      return { subjectId: submission.subjectId };
    });
    await this.timers.scheduleSubmission(submissionId);
    this.events.decided({ submissionId, subjectId: result.subjectId, outcome: input.outcome, decision });
    return decision;
  }
}
