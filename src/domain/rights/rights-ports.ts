import type { AuditPorts } from '../audit/audit-ports.js';
import type { ConsentRepository } from '../consent/consent-ports.js';
import type { StoredItemRepository } from '../retention/retention-ports.js';
import type { Subject } from '../subjects/subject.js';
import type { SubmissionRepository } from '../submissions/submission-ports.js';

/** A subject erased in the database, for checking the erasure ledger against it. */
export interface ErasedSubject {
  readonly id: string;
  readonly erasedAt: Date;
  readonly reason: string;
}

/** Subjects as the rights area reads and erases them. */
export interface RightsSubjects {
  findById(id: string): Promise<Subject | null>;
  /** Identity fields destroyed, the row kept as the anchor of decisions and consents. */
  markErased(id: string, at: Date, reason: string): Promise<void>;
  /** Corrections of identity fields, oldest first: which fields and why, never the old values. */
  listCorrections(subjectId: string): Promise<{ readonly fields: readonly string[]; readonly reason: string; readonly at: Date }[]>;
  /** Every erased subject. */
  listErased(): Promise<ErasedSubject[]>;
}

/** A reference template as the access report lists it. */
export interface TemplateRecord {
  /** `document` for a document portrait, else the kind of the submission whose selfie it came from. */
  readonly source: string;
  readonly model: string;
  readonly status: string;
  readonly createdAt: Date;
  readonly deletedAt: Date | null;
}

/** Reference templates as the rights area reads and destroys them. */
export interface RightsTemplates {
  /** The sealed embeddings are dropped, the rows (model, time, score) stay for the decision record; returns how many. */
  destroyAll(subjectId: string, at: Date): Promise<number>;
  /** Every template of a subject, destroyed ones included, oldest first. */
  historyForSubject(subjectId: string): Promise<TemplateRecord[]>;
}

/** Per-subject key material: destroying it makes every copy of the subject's images and templates unreadable. */
export interface SubjectKeyShredder {
  /** Idempotent; keeps the time of the first destruction. */
  destroy(subjectId: string, at: Date): Promise<void>;
}

/** Records of a subject's checks that none outlives the erasure (fingerprints, challenges, attempts, documents). */
export interface SubjectTraces {
  deleteForSubject(subjectId: string): Promise<unknown>;
}

/** The subject's phones. */
export interface SubjectDevices {
  /** Revokes every credential of the subject and drops their unused activation codes; returns how many it revoked. */
  revokeAllForSubject(subjectId: string, at: Date, by: string, reason: string): Promise<number>;
}

/** The repositories the access report and erasure reach, in or out of a transaction. */
export interface RightsPorts extends AuditPorts {
  readonly subjects: RightsSubjects;
  readonly subjectKeys: SubjectKeyShredder;
  readonly templates: RightsTemplates;
  readonly items: Pick<StoredItemRepository, 'listForSubject' | 'markBiometricsDeleted'>;
  readonly submissions: Pick<SubmissionRepository, 'listForSubject'>;
  readonly consents: Pick<ConsentRepository, 'listForSubject'>;
  readonly fingerprints: SubjectTraces;
  readonly documentRegistry: SubjectTraces;
  readonly livenessChallenges: SubjectTraces;
  readonly livenessAttempts: SubjectTraces;
  readonly devices: SubjectDevices;
}
