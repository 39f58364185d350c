import { createMrzReader, inspectDocument } from '../documents/index.js';
import type { DocumentCheck } from '../domain/submissions/submission.js';
import type { Core } from './core.js';

/**
 * The enrolment's document check: the subject's typed passport fields against the MRZ read from the
 * photo. The result keeps verdicts only; MRZ text and field values stay out of it.
 */
export async function createDocumentCheck(core: Core) {
  const reader = await createMrzReader();
  const check = async (subjectId: string, jpeg: Uint8Array): Promise<DocumentCheck> => {
    const subject = await core.repos.subjects.findById(subjectId);
    const passport = subject ? await core.subjects.passport(subject) : null;
    if (!passport) {
      return {
        documentType: 'unknown', mrzFound: false, mrzFormat: null, checkDigitsValid: null, confidence: null, fieldsVerified: false,
        fields: {}, expired: null, rotationApplied: null, reasons: ['DOCUMENT_FIELDS_UNVERIFIED'], needsReview: true,
      };
    }
    const inspection = await inspectDocument(reader, Buffer.from(jpeg), {
      documentType: passport.documentType, number: passport.number, surname: passport.surname, givenNames: passport.givenNames,
      dateOfBirth: passport.dateOfBirth, expiryDate: passport.expiryDate, mrz: passport.mrz ?? null,
    }, core.clock.now());
    return {
      documentType: inspection.documentType,
      mrzFound: inspection.mrz !== null,
      mrzFormat: inspection.mrz?.format ?? null,
      checkDigitsValid: inspection.mrz?.valid ?? null,
      confidence: inspection.mrz ? Math.round(inspection.mrz.confidence * 1000) / 1000 : null,
      fieldsVerified: inspection.fieldsVerified,
      fields: Object.fromEntries(Object.entries(inspection.fields).map(([k, v]) => [k, String(v)])),
      expired: inspection.expired,
      rotationApplied: inspection.rotationApplied,
      reasons: inspection.reasons,
      needsReview: inspection.needsReview,
    };
  };
  return { check, close: () => reader.close() };
}
