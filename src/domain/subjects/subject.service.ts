import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from './biometric-vault.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { passportSchema, type Passport } from './passport.js';
import type { SubjectPorts } from './subject-ports.js';
import { canonicalSubjectRef, type Subject } from './subject.js';

export const PASSPORT_RECORD = 'passport';

export interface SubjectServiceDeps {
  readonly uow: UnitOfWork<SubjectPorts>;
  readonly vault: Pick<BiometricVault, 'sealRecord' | 'openRecord'>;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** REFERENCE_MAX_AGE_YEARS (default 5): a gallery whose newest reference is older asks for re-enrolment in person. */
  readonly referenceMaxAgeYears?: number;
}

/** Registering pensioners and keeping their passport fields (sealed, like their images). */
export class SubjectService {
  constructor(private readonly deps: SubjectServiceDeps) {}

  /** Single reads and writes: none of this service's work spans a transaction. */
  private get repos(): SubjectPorts {
    return this.deps.uow.ports;
  }

  async create(rawRef: string, passport: Passport, language: Subject['language'], actor: Actor): Promise<Subject> {
    const ref = canonicalSubjectRef(rawRef);
    const now = this.deps.clock.now();
    const id = newId();
    if (!(await this.repos.subjects.insert({ id, ref, createdAt: now }))) {
      throw new ConflictError('SUBJECT_EXISTS', `A subject with id "${ref}" already exists.`);
    }
    await this.repos.subjects.setPassport(id, await this.deps.vault.sealRecord(id, PASSPORT_RECORD, passport), now);
    await this.repos.subjects.setLanguage(id, language);
    await this.deps.audit.record({ actor, action: 'subject.created', purpose: PURPOSE, subjectId: id, targetType: 'subject', targetId: id, outcome: 'success' });
    return this.get(ref);
  }

  /** The passport fields, opened for an authorised purpose (access report, cross-checks). */
  async passport(subject: Subject): Promise<Passport | null> {
    const sealed = await this.repos.subjects.getSealedPassport(subject.id);
    return sealed ? this.deps.vault.openRecord<Passport>(subject.id, PASSPORT_RECORD, sealed) : null;
  }

  /** Art. 8(5), 15: identity fields corrected, recording which fields, who and why (not the old values). */
  async correct(subject: Subject, changes: Partial<Passport>, reason: string, actor: Actor): Promise<string[]> {
    if (subject.status === 'erased') throw new ConflictError('SUBJECT_ALREADY_ERASED', 'The subject has been erased.');
    const current = await this.passport(subject);
    if (!current) throw new ConflictError('PASSPORT_MISSING', 'The subject has no passport fields to correct.');
    const next = passportSchema.parse({ ...current, ...changes });
    const fields = (Object.keys(next) as (keyof Passport)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    if (!fields.length) return [];
    const now = this.deps.clock.now();
    await this.repos.subjects.setPassport(subject.id, await this.deps.vault.sealRecord(subject.id, PASSPORT_RECORD, next), now);
    await this.repos.subjects.insertCorrection({ id: newId(), subjectId: subject.id, fields, reason, actor: `${actor.type}:${actor.id}`, at: now });
    await this.deps.audit.record({
      actor, action: 'subject.corrected', purpose: PURPOSE, subjectId: subject.id, targetType: 'subject', targetId: subject.id,
      outcome: 'success', details: { fields },
    });
    return fields;
  }

  /** Finds a subject by pension number, in any spelling canonicalSubjectRef folds to the stored one. */
  async get(rawRef: string): Promise<Subject> {
    const subject = await this.find(rawRef);
    if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${canonicalSubjectRef(rawRef)}".`);
    return subject;
  }

  /** As `get`, null when there is no such subject. */
  find(rawRef: string): Promise<Subject | null> {
    return this.repos.subjects.findByRef(canonicalSubjectRef(rawRef));
  }

  async replacePassport(subject: Subject, passport: Passport): Promise<void> {
    const sealed = await this.deps.vault.sealRecord(subject.id, PASSPORT_RECORD, passport);
    await this.repos.subjects.setPassport(subject.id, sealed, this.deps.clock.now());
  }

  /**
   * Template ageing: when the newest reference in use was taken, and whether that is longer ago than
   * REFERENCE_MAX_AGE_YEARS (faces change; such a subject is asked to re-enrol in person). Proofs of life that
   * join the gallery keep it young.
   */
  async referenceAge(subject: Subject): Promise<{ newestAt: Date | null; aged: boolean }> {
    const newestAt = await this.repos.templates.newestActiveAt(subject.id);
    const limit = new Date(this.deps.clock.now());
    limit.setUTCFullYear(limit.getUTCFullYear() - (this.deps.referenceMaxAgeYears ?? 5));
    return { newestAt, aged: newestAt !== null && newestAt.getTime() < limit.getTime() };
  }

  isEnrolled(subject: Subject): Promise<boolean> {
    return this.repos.templates.countActive(subject.id).then((n) => n > 0);
  }
}
