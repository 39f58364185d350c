import type { ConsentConfirmationPorts } from '../consent/consent-ports.js';
import type { StoredItemRepository } from '../retention/retention-ports.js';
import type { SubjectRepository } from '../subjects/subject-ports.js';
import type { ReferenceApproval } from '../submissions/submission.js';
import type { SubmissionRepository } from '../submissions/submission-ports.js';
import type { GalleryPorts, TemplateRepository } from '../verification/verification-ports.js';

export type ReviewOutcome = 'approve' | 'reject' | 'recapture';

/** One waiting case in the review queue. */
export interface QueueEntry {
  readonly submissionId: string;
  readonly subjectRef: string;
  readonly kind: 'enrollment' | 'verification';
  readonly reasons: string[];
  readonly similarity: number | null;
  readonly completedAt: Date;
  readonly claimedBy: string | null;
  readonly claimedByName: string | null;
  readonly claimedAt: Date | null;
  readonly region: string | null;
  readonly office: string | null;
}

export interface QueueFilter {
  readonly reason?: string;
  /** The subject's region or office (set through the subject attributes route). */
  readonly region?: string;
  readonly office?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
}

/** A person's decision on a case. */
export interface ReviewRecord {
  readonly outcome: ReviewOutcome;
  readonly reasonCode: string;
  readonly comment: string;
  readonly by: string;
  readonly byName: string;
  readonly at: string;
  /** Set when the reviewer asked to keep an approved proof of life's selfie as a reference: what became of it. */
  readonly referenceApproval?: ReferenceApproval;
}

/** Who holds a case, and since when (with the claim TTL it tells whether the claim still holds). */
export interface CaseClaim {
  readonly claimedBy: string | null;
  readonly claimedAt: Date | null;
}

/** The review queue and case decisions (a repository over the submissions in src/storage implements it). */
export interface ReviewRepository {
  /** Waiting cases (machine said needs_review, nobody decided yet), oldest first. */
  queue(filter: QueueFilter): Promise<QueueEntry[]>;
  /** Waiting cases per reason code, for the queue's filter counts. */
  countsByReason(): Promise<{ reason: string; count: number }[]>;
  /** Claims a waiting case for one reviewer; a claim older than `staleBefore` may be taken over. False otherwise. */
  claim(submissionId: string, staffId: string, at: Date, staleBefore: Date): Promise<boolean>;
  /**
   * Records the person's decision on a case they hold (the machine's decision is kept beside it); false if it is not
   * theirs or no longer waiting.
   */
  decide(submissionId: string, staffId: string, decision: 'verified' | 'rejected', reasons: string[], review: ReviewRecord): Promise<boolean>;
  /** Null when there is no such submission. */
  claimOf(submissionId: string): Promise<CaseClaim | null>;
  /** The submissions (enrolments) that made these reference templates of the subject; others' templates are ignored. */
  enrolmentsOfReferences(subjectId: string, templateIds: readonly string[]): Promise<string[]>;
  /** True when both submissions are of one subject. */
  sameSubject(submissionId: string, otherSubmissionId: string): Promise<boolean>;
}

/**
 * What review reaches: the queue and claims, the case file's reads, and in the decision's transaction the
 * submission's answer, an enrolment's templates and consents, the gallery and the images' retention timers.
 */
export interface ReviewPorts extends GalleryPorts, ConsentConfirmationPorts {
  readonly reviews: ReviewRepository;
  readonly submissions: Pick<SubmissionRepository, 'findById' | 'listForSubject'>;
  readonly subjects: Pick<SubjectRepository, 'findById' | 'markEnrolled'>;
  readonly templates: Pick<TemplateRepository, 'settlePending' | 'findUsable' | 'findActive' | 'retire'>;
  readonly items: Pick<StoredItemRepository, 'listForSubmission' | 'scheduleTemplatesOf' | 'reschedule' | 'findForTemplate' | 'markDeleted'>;
}

/** What opening a face reads. */
export type ImageAccessPorts = Pick<ReviewPorts, 'submissions' | 'items'>;
