export type SubjectStatus = 'active' | 'closed' | 'erased';

/** A pensioner known to the office. `ref` is their pension number, the id the office uses. */
export interface Subject {
  readonly id: string;
  readonly ref: string;
  readonly status: SubjectStatus;
  readonly hasPassport: boolean;
  /** Language of the subject's notices and access report. */
  readonly language: 'tg' | 'ru' | 'en';
  readonly enrolledAt: Date | null;
  readonly createdAt: Date;
  readonly erasedAt: Date | null;
  /** Set when a model upgrade could not carry the subject's references over (see docs/CAMPAIGNS.md); null otherwise. */
  readonly reenrolment: { readonly requiredAt: Date; readonly reason: string } | null;
}

/** Pension numbers: letters, digits, dash; safe in a URL path and a log line. */
export const SUBJECT_REF_PATTERN = /^[A-Za-z0-9-]{3,40}$/;
