import type { AuditPorts } from '../audit/audit-ports.js';
import type { TemplateRepository } from '../verification/verification-ports.js';
import type { Subject } from './subject.js';

/** A correction of identity fields (Art. 8(5), 15): which fields, who and why; never the old values. */
export interface SubjectCorrection {
  readonly fields: readonly string[];
  readonly reason: string;
  /** The acting credential as `<type>:<id>`. */
  readonly actor: string;
  readonly at: Date;
}

/** Pensioners as storage keeps them (src/storage/repositories/subject.repository.ts). */
export interface SubjectRepository {
  /** False when the pension number is taken (the unique constraint decides, not a prior read). */
  insert(s: { id: string; ref: string; createdAt: Date }): Promise<boolean>;
  /** By the canonical pension number (canonicalSubjectRef). */
  findByRef(ref: string): Promise<Subject | null>;
  findById(id: string): Promise<Subject | null>;
  setPassport(id: string, sealedPassport: Buffer, at: Date): Promise<void>;
  getSealedPassport(id: string): Promise<Buffer | null>;
  /** Erasure (Art. 20): identity fields destroyed, the row kept as the anchor of decisions and consents. */
  markErased(id: string, at: Date, reason: string): Promise<void>;
  insertCorrection(c: SubjectCorrection & { id: string; subjectId: string }): Promise<void>;
  /** Oldest first. */
  listCorrections(subjectId: string): Promise<SubjectCorrection[]>;
  setLanguage(id: string, language: Subject['language']): Promise<void>;
  /** A verified enrolment: also clears a re-enrolment request, since the subject has fresh references now. */
  markEnrolled(id: string, at: Date): Promise<void>;
  /** No reference could be carried over to a new model: the subject must enrol again (the first request is kept). */
  markReenrolmentRequired(id: string, at: Date, reason: string): Promise<void>;
}

/** What the subject service reaches: the subjects, and how many references of theirs are in use. */
export interface SubjectPorts extends AuditPorts {
  readonly subjects: SubjectRepository;
  readonly templates: Pick<TemplateRepository, 'newestActiveAt' | 'countActive'>;
}
