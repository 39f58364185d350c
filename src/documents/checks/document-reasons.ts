/**
 * Reason codes of a document inspection. Stable: the submission answer, the dashboard and the mobile app switch
 * on them. `review` sends the submission to a person; `flag` is shown but decides nothing by itself.
 */
export const DOCUMENT_REASONS = {
  /** The document type has an MRZ but none could be read from the photo (also: too blurred, cut off, glare). */
  MRZ_NOT_FOUND: 'review',
  /** At least one check digit of the MRZ read fails: misread, damaged or altered. `mrz.checks` says which. */
  MRZ_CHECK_DIGIT_FAILED: 'review',
  /** The MRZ is not of the declared document type (format, document code, issuing state or nationality). */
  MRZ_DOCUMENT_TYPE_MISMATCH: 'review',
  /** MRZ lines sent with the submission (typed, or scanned by the phone) differ from those read from the photo. */
  MRZ_TYPED_LINES_MISMATCH: 'review',
  /** The typed document number is not the MRZ's. */
  MRZ_NUMBER_MISMATCH: 'review',
  /** The typed surname is not the MRZ's (after transliteration). */
  MRZ_SURNAME_MISMATCH: 'review',
  /** The typed given names are not the MRZ's (after transliteration; a patronymic may be extra). */
  MRZ_GIVEN_NAMES_MISMATCH: 'review',
  /** The typed date of birth is not the MRZ's. */
  MRZ_BIRTH_DATE_MISMATCH: 'review',
  /** The typed expiry date is not the MRZ's. */
  MRZ_EXPIRY_DATE_MISMATCH: 'review',
  /** No machine-readable source confirms the typed fields (no MRZ on this type, or none read): a person checks. */
  DOCUMENT_FIELDS_UNVERIFIED: 'review',
  /** The document's expiry date has passed. It may still serve for proof of life; the office is told. */
  DOCUMENT_EXPIRED: 'flag',
  /**
   * The typed document number is taken as the MRZ's: it differs from the OCR reading only in characters the OCR
   * confuses (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B) and verifies the MRZ's check digits. Counted as a match; shown so a
   * reviewer knows the number was settled by what was typed.
   */
  MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR: 'flag',
  // The three below need the other subjects' records or the face engine: the enrolment's document check sets them, never inspectDocument.
  /** Another subject (not erased) presented a document with this number and issuer: the same document twice. */
  DOCUMENT_NUMBER_ENROLLED_ELSEWHERE: 'review',
  /** This document photo (re-encoded, resized or cropped a little) was already submitted for another subject. */
  DOCUMENT_IMAGE_REUSED: 'review',
  /**
   * Set by the enrolment's document check from the faces on the page: another person's face of comparable size
   * beside the portrait, or a crowd; whose portrait the match used is unclear. Ghost images do not count.
   */
  DOCUMENT_MULTIPLE_FACES: 'review',
} as const;

export type DocumentReason = keyof typeof DOCUMENT_REASONS;
export type DocumentReasonEffect = (typeof DOCUMENT_REASONS)[DocumentReason];

/** Whether any of the reasons sends the submission to review. */
export const needsReview = (reasons: readonly DocumentReason[]): boolean => reasons.some((r) => DOCUMENT_REASONS[r] === 'review');
