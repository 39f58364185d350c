import type { AuditPorts } from '../audit/audit-ports.js';
import type { ConsentRepository } from '../consent/consent-ports.js';
import type { LegalHoldRepository, StoredItemRepository } from '../retention/retention-ports.js';
import type { SubjectRepository } from '../subjects/subject-ports.js';
import type { Decision, Submission, SubmissionKind, SubmissionResult } from './submission.js';

/** The terminal state of a submission as it is written once. */
export interface SubmissionCompletion {
  readonly status: 'completed' | 'failed';
  readonly decision: Decision | null;
  readonly reasons: readonly string[];
  readonly result: SubmissionResult;
  readonly at: Date;
}

/** Submissions as storage keeps them (src/storage/repositories/submission.repository.ts). */
export interface SubmissionRepository {
  /** A new submission, `queued`. */
  insert(s: { id: string; subjectId: string; kind: SubmissionKind; createdAt: Date }): Promise<void>;
  findById(id: string): Promise<Submission | null>;
  /** Marks the start of an attempt (`processing`, attempts + 1); null when already terminal (a re-delivered job). */
  startAttempt(id: string, at: Date): Promise<Submission | null>;
  /**
   * Records the terminal state once: only a `queued` or `processing` submission moves, so a second completion (a job
   * re-run after a crash between commit and acknowledgement) is a no-op that returns false.
   */
  complete(id: string, outcome: SubmissionCompletion): Promise<boolean>;
  /** Submissions still queued after `olderThan`, oldest first: their job may have been lost between insert and enqueue. */
  findStaleQueued(olderThan: Date, limit: number): Promise<string[]>;
  /** End of the results term: the scores and findings go; the row stays as a bare record that a check took place. */
  purgeResult(id: string): Promise<void>;
  /** A subject's submissions, newest first. */
  listForSubject(subjectId: string, limit?: number): Promise<Submission[]>;
}

/** What intake writes in the transaction that records an upload. */
export interface IntakePorts extends AuditPorts {
  readonly submissions: Pick<SubmissionRepository, 'insert' | 'listForSubject'>;
  readonly items: Pick<StoredItemRepository, 'insert'>;
  /** A phone's withdrawal or consent waiting for the worker's decision on its selfie. */
  readonly consents: Pick<ConsentRepository, 'insertWithdrawalRequest' | 'insertRecordRequest'>;
}

/** What the answer about one submission reads. */
export interface SubmissionQueryPorts {
  readonly submissions: Pick<SubmissionRepository, 'findById'>;
  readonly subjects: Pick<SubjectRepository, 'findById'>;
  readonly items: Pick<StoredItemRepository, 'listForSubmission'>;
  readonly holds: Pick<LegalHoldRepository, 'isHeld'>;
}
