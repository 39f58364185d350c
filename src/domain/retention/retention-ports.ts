import type { AuditPorts } from '../audit/audit-ports.js';
import type { LegalHold } from './legal-hold.js';
import type { ItemClass, StoredItem } from './stored-item.js';

/** Legal holds (src/storage/repositories/legal-hold.repository.ts). */
export interface LegalHoldRepository {
  insert(hold: Omit<LegalHold, 'releasedAt' | 'releasedBy'>): Promise<void>;
  /** Releases an active hold of the subject; false when there is none by that id (unknown, or released already). */
  release(subjectId: string, id: string, at: Date, by: string): Promise<boolean>;
  /** Every hold of the subject, released ones included, oldest first. */
  listForSubject(subjectId: string): Promise<LegalHold[]>;
  /** Whether any hold of the subject is active. */
  isHeld(subjectId: string): Promise<boolean>;
}

/** A live timer, for (re)scheduling its purge job. */
export interface LiveTimer {
  readonly id: string;
  readonly deleteAt: Date;
}

/** A live item under a configured policy, with the time its term runs from (the decision, else the upload). */
export type PolicyItem = StoredItem & { readonly anchor: Date };

/** A deadline moved later than promised, with the reason that allowed it (Art. 14). */
export interface RetentionChange {
  readonly id: string;
  readonly itemId: string;
  readonly oldDeleteAt: Date | null;
  readonly newDeleteAt: Date | null;
  readonly oldPolicy: string;
  readonly newPolicy: string;
  readonly reason: string;
  readonly at: Date;
}

/** The retention ledger: every item held and when it goes (src/storage/repositories/stored-item.repository.ts). */
export interface StoredItemRepository {
  /** Idempotent per id. */
  insert(item: Omit<StoredItem, 'deletedAt'>): Promise<void>;
  findById(id: string): Promise<StoredItem | null>;
  /** One item, locked for the rest of the transaction so that two purgers cannot both act on it. */
  lockById(id: string): Promise<StoredItem | null>;
  /** Every entry of a submission, deleted ones included. */
  listForSubmission(submissionId: string): Promise<StoredItem[]>;
  /** Every entry of a subject, deleted ones included. */
  listForSubject(subjectId: string): Promise<StoredItem[]>;
  /** The entry of a reference template; null when it has none. */
  findForTemplate(templateId: string): Promise<StoredItem | null>;
  /** False when it was deleted already. */
  markDeleted(id: string, at: Date): Promise<boolean>;
  /** Ids of items past their time and not under a legal hold, oldest deadline first. */
  findDue(now: Date, limit: number): Promise<string[]>;
  /** Overdue and not held: the figure that must always be 0 after a sweep. */
  countOverdue(now: Date): Promise<number>;
  /** Live timers of a submission or a subject. */
  liveTimers(scope: { submissionId: string } | { subjectId: string }): Promise<LiveTimer[]>;
  /** A page of live items in id order after `afterId`. */
  livePolicyItems(afterId: string, limit: number): Promise<PolicyItem[]>;
  /** A recomputed timer of a live item. */
  setTimer(id: string, deleteAt: Date | null, policy: string): Promise<void>;
  recordChange(change: RetentionChange): Promise<void>;
  /** Brings forward the deletion of a subject's live biometric items (images, templates) to `at`; returns how many. */
  scheduleBiometrics(subjectId: string, at: Date, policy: string): Promise<number>;
  /** Marks a subject's live biometric items deleted now; returns their blob keys so the files can go too. */
  markBiometricsDeleted(subjectId: string, at: Date, policy: string): Promise<string[]>;
  /** Brings the deletion of a submission's template items forward to `at` (a rejected enrolment keeps none). */
  scheduleTemplatesOf(submissionId: string, at: Date, policy: string): Promise<void>;
  /** A new deadline by a rule of its own (no longer waiting for an event), e.g. a superseded template's grace. */
  retime(id: string, deleteAt: Date, policy: string): Promise<void>;
  /** Re-times the live items of one class of a submission (e.g. images once the decision is known). */
  reschedule(submissionId: string, itemClass: ItemClass, deleteAt: Date, policy: string): Promise<void>;
}

/** A reference template's purge: the sealed embedding goes, the row (model, time) stays for the record. */
export interface TemplatePurge {
  destroyOne(templateId: string, at: Date): Promise<void>;
}

/** What a purged result leaves of its submission: the decision, without the scores and reasons kept beside it. */
export interface ResultPurge {
  purgeResult(submissionId: string): Promise<void>;
}

/** Replay fingerprints of a submission's images: they go with its result. */
export interface SubmissionFingerprints {
  deleteForSubmission(submissionId: string): Promise<void>;
}

/** The photo fingerprint kept for a document image: it goes with the image. */
export interface DocumentImageFingerprints {
  deleteFingerprintOfItem(documentItemId: string): Promise<void>;
}

/** The repositories retention reaches, in or out of a transaction. */
export interface RetentionPorts extends AuditPorts {
  readonly holds: LegalHoldRepository;
  readonly items: StoredItemRepository;
  readonly templates: TemplatePurge;
  readonly submissions: ResultPurge;
  readonly fingerprints: SubmissionFingerprints;
  readonly documentRegistry: DocumentImageFingerprints;
}
