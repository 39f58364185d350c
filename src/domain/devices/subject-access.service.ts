import { NotFoundError } from '../../shared/errors.js';
import type { Consent } from '../consent/consent.js';
import type { Passport } from '../subjects/passport.js';
import type { Subject } from '../subjects/subject.js';
import type { DeviceIdentity } from './device-credential.js';

/** A caller with role `mobile-client`: the public app key alone, or a phone holding a device credential. */
export type MobileCaller =
  | { readonly kind: 'app-key'; /** `api-key:<keyId>` */ readonly ref: string }
  | { readonly kind: 'device'; readonly device: DeviceIdentity };

/** The two things the app key may do for an existing subject, each only once the pensioner's document number is shown. */
export type FirstContact =
  | { readonly kind: 'consent'; readonly documentNumber: string | null }
  | { readonly kind: 'enrolment'; readonly documentNumber: string | null };

export interface SubjectAccessDeps {
  readonly subjects: {
    get(ref: string): Promise<Subject>;
    passport(subject: Subject): Promise<Passport | null>;
    isEnrolled(subject: Subject): Promise<boolean>;
  };
  readonly consents: { list(subject: Subject): Promise<readonly Consent[]> };
  readonly submissions: { subjectOfSubmission(submissionId: string): Promise<string | null> };
  /** Who obtained the credential issued with an enrolment (`api-key:<id>`), or null. */
  readonly claimantOf: (submissionId: string) => Promise<string | null>;
}

// The refusal is the answer for a subject that does not exist, so pension numbers cannot be enumerated.
const noSuchSubject = (ref: string) => new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${ref}".`);
const noSuchSubmission = (id: string) => new NotFoundError('SUBMISSION_NOT_FOUND', `No submission with id "${id}".`);

const sameNumber = (typed: string | null, passport: Passport | null) =>
  !!typed && !!passport && typed.trim().toUpperCase() === passport.number.trim().toUpperCase();

/**
 * Whose data a mobile caller may touch (docs/SECURITY.md). A phone acts only for the subject its credential is bound
 * to; the app key alone only begins a relationship. Every refusal is the 404 of a missing subject or submission.
 */
export class SubjectAccessPolicy {
  constructor(private readonly deps: SubjectAccessDeps) {}

  /** Passes, or throws the 404 of a missing subject. */
  async checkSubject(caller: MobileCaller, ref: string, firstContact?: FirstContact): Promise<void> {
    const subject = await this.deps.subjects.get(ref);
    if (caller.kind === 'device') {
      if (caller.device.subjectId !== subject.id) throw noSuchSubject(subject.ref);
      return;
    }
    if (!firstContact || !(await this.firstContactAllowed(subject, firstContact))) throw noSuchSubject(subject.ref);
  }

  /** A phone reads its own subject's submissions; the app key only the enrolment it sent (by its random id). */
  async checkSubmission(caller: MobileCaller, submissionId: string): Promise<void> {
    const allowed = caller.kind === 'device'
      ? await this.deps.submissions.subjectOfSubmission(submissionId) === caller.device.subjectId
      : await this.deps.claimantOf(submissionId) === caller.ref;
    if (!allowed) throw noSuchSubmission(submissionId);
  }

  private async firstContactAllowed(subject: Subject, contact: FirstContact): Promise<boolean> {
    const { subjects, consents } = this.deps;
    if (subject.status !== 'active' || !sameNumber(contact.documentNumber, await subjects.passport(subject))) return false;
    if (await subjects.isEnrolled(subject)) return false;
    if (contact.kind === 'enrolment') return true;
    return !(await consents.list(subject)).some((c) => c.status === 'active');
  }
}
