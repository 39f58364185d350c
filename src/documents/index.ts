/**
 * Identity documents: the types a pensioner may present (document-types.json), their MRZ read from a photo and
 * verified, the typed fields cross-checked. Pure of the rest of the service: the caller passes a reader (which
 * holds a tesseract worker) and stores what comes back. Nothing here logs; MRZ text and fields are personal data.
 *
 *   const reader = await createMrzReader();            // once per worker process
 *   const inspection = await inspectDocument(reader, jpeg, typed, clock.now());
 *   await reader.close();                              // on shutdown
 */
export { inspectDocument, type DocumentInspection, type InspectedMrz } from './document-inspection.js';
export { DOCUMENT_REASONS, needsReview, type DocumentReason, type DocumentReasonEffect } from './checks/document-reasons.js';
export {
  compareFields, crossCheckDocument, normaliseDocumentNumber, typeProblems,
  type CrossCheckInput, type CrossCheckResult, type FieldVerdict, type FieldVerdicts, type MrzEvidence, type TypedDocumentFields, type TypeProblem,
} from './checks/cross-checks.js';
export { latinize, namesMatch, skeleton } from './checks/transliteration.js';
export { isExpired, isoToMrzDate, mrzDateToIso } from './checks/mrz-dates.js';
export { createMrzReader, readMrz, type MrzReader, type MrzReading, type Rotation } from './ocr/mrz-reader.js';
export { createTesseractOcr, type MrzOcrEngine, type OcrLine, type OcrSymbol } from './ocr/tesseract-ocr.js';
export { parseMrz, type MrzChecks, type MrzFields, type ParsedMrz } from './mrz/mrz-parser.js';
export { computeCheckDigit, isCheckDigitValid, MRZ_ALPHABET } from './mrz/check-digit.js';
export { ocrConfusable, withTypedNumber } from './mrz/typed-number.js';
export { MRZ_LAYOUTS, type MrzFormat } from './mrz/mrz-format.js';
export { DOCUMENT_TYPES, documentTypeCodes, loadDocumentTypes, type DocumentType } from './types/document-type.schema.js';
export { hammingDistance, perceptualHash, SAME_IMAGE_MAX_DISTANCE } from './image/perceptual-hash.js';
export { documentPhotoFingerprints, PORTRAIT_MARGIN, type PhotoHashes, type PortraitRegion, type Turn } from './image/document-fingerprint.js';
export { typedDocumentFieldsSchema } from './types/typed-fields.schema.js';
