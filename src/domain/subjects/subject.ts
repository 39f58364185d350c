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

/**
 * The one spelling under which a pension number is stored and looked up, so that `pn-id10`, ` PN-ID10 ` and the
 * full-width `ＰＮ－ＩＤ１０` a phone keyboard may type are one pensioner, not three: Unicode NFKC (full-width and
 * other compatibility forms become ASCII), surrounding whitespace trimmed, then letters upper-cased. Upper-casing
 * waits until the id is known to be plain ASCII, so no other script's letter is turned into a Latin one (Turkish
 * `ı` would become `I`); an id that fails the pattern comes back unchanged, for the pattern to refuse.
 */
export function canonicalSubjectRef(raw: string): string {
  const folded = raw.normalize('NFKC').trim();
  return SUBJECT_REF_PATTERN.test(folded) ? folded.toUpperCase() : folded;
}
