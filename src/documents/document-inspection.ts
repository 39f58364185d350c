import { ValidationError } from '../shared/errors.js';
import { needsReview, type DocumentReason } from './checks/document-reasons.js';
import { crossCheckDocument, type FieldVerdicts, type MrzEvidence, type TypedDocumentFields, type TypeProblem } from './checks/cross-checks.js';
import { mrzDateToIso } from './checks/mrz-dates.js';
import { perceptualHash } from './image/perceptual-hash.js';
import type { MrzFormat } from './mrz/mrz-format.js';
import { parseMrz, type MrzChecks, type MrzFields, type ParsedMrz } from './mrz/mrz-parser.js';
import type { MrzReader, Rotation } from './ocr/mrz-reader.js';
import { DOCUMENT_TYPES } from './types/document-type.schema.js';

/** The MRZ an inspection found. Personal data: store encrypted with the images, never log. */
export interface InspectedMrz {
  /** `image`: read from the photo; `typed`: the lines sent with the submission (see `confirmedByImage`). */
  readonly source: 'image' | 'typed';
  /** The photo shows these lines (typed lines count when the photo's reading agrees with them). */
  readonly confirmedByImage: boolean;
  readonly lines: readonly string[];
  readonly format: MrzFormat;
  readonly fields: MrzFields & { readonly dateOfBirthIso: string | null; readonly expiryDateIso: string | null };
  /** Verdict of every check digit the format has. */
  readonly checks: MrzChecks;
  readonly valid: boolean;
  /**
   * The number in `lines` and `fields` is the typed one: the reading differed from it only in characters the OCR
   * confuses and it verifies the check digits (reason MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR). Absent otherwise.
   */
  readonly numberRepairedFromTyped?: true;
  /** 0-1: OCR certainty x share of check digits that verify x plausibility; 1 for typed lines that verify. */
  readonly confidence: number;
}

/** What a document photo and its typed fields say about the document. */
export interface DocumentInspection {
  readonly documentType: string;
  readonly mrz: InspectedMrz | null;
  /** Clockwise turn that makes the photo upright (from the MRZ), null when no MRZ was read from it. */
  readonly rotationApplied: Rotation | null;
  /** Stable codes, see DOCUMENT_REASONS. */
  readonly reasons: DocumentReason[];
  /** Some reason sends the submission to a person. */
  readonly needsReview: boolean;
  /** An MRZ read from the photo verifies and every typed field agrees with it. */
  readonly fieldsVerified: boolean;
  readonly fields: FieldVerdicts;
  /** Why the MRZ is not of the declared type (empty when it is, or when there is no MRZ). */
  readonly typeProblems: TypeProblem[];
  /** Null when no expiry date is known. */
  readonly expired: boolean | null;
  /** 64-bit dHash (16 hex) of the upright photo, for finding the same photo under another subject. */
  readonly imageHash: string;
  readonly timings: { readonly mrzMs: number; readonly totalMs: number };
}

/** Share of positions typed MRZ lines must share with the photo's reading to count as shown by it. */
const TYPED_LINES_AGREEMENT = 0.85;

/**
 * Inspects a document photo (JPEG or PNG, EXIF orientation already applied, as image-codec stores it) against the
 * fields typed for it: reads the MRZ (any quarter turn), verifies its check digits, checks it against the declared
 * type and the typed fields, flags expiry, hashes the upright photo. Expected outcomes (no MRZ, mismatches) are
 * reasons, not errors; an unknown document type is a caller error (ValidationError). Logs nothing.
 */
export async function inspectDocument(
  reader: MrzReader,
  image: Buffer,
  typed: TypedDocumentFields,
  now: Date,
): Promise<DocumentInspection> {
  const type = DOCUMENT_TYPES.get(typed.documentType);
  if (!type) {
    throw new ValidationError('DOCUMENT_TYPE_UNKNOWN', `Unknown document type "${typed.documentType}".`, { known: [...DOCUMENT_TYPES.keys()] });
  }
  const t0 = performance.now();
  // Read even where the type has no MRZ: an MRZ on a "certificate" means the declared type is wrong.
  const reading = await reader.read(image);
  const t1 = performance.now();

  const typedParsed = typed.mrz && typed.mrz.length > 0 ? parseMrz(typed.mrz.map((l) => l.trim().toUpperCase())) : null;
  let evidence: MrzEvidence | null = null;
  let inspected: InspectedMrz | null = null;
  let typedLinesDisagree: boolean | null = null;
  if (reading) {
    typedLinesDisagree = typedParsed ? !sameLines(typedParsed.lines, reading.parsed.lines) : null;
    const agree = typedParsed ? agreement(typedParsed.lines, reading.parsed.lines) >= TYPED_LINES_AGREEMENT : false;
    if (typedParsed && !reading.parsed.valid && typedParsed.valid && agree) {
      // The photo shows (nearly) these lines and they verify where our reading does not: believe the typed ones.
      evidence = { parsed: typedParsed, confirmedByImage: true };
      inspected = describe(typedParsed, 'typed', true, 1, now);
      typedLinesDisagree = false;
    } else {
      evidence = { parsed: reading.parsed, confirmedByImage: true };
      inspected = describe(reading.parsed, 'image', true, reading.confidence, now);
    }
  } else if (typedParsed) {
    evidence = { parsed: typedParsed, confirmedByImage: false };
    inspected = describe(typedParsed, 'typed', false, typedParsed.valid ? 1 : 0, now);
  }

  const result = crossCheckDocument({ type, typed, mrz: evidence, typedLinesDisagree }, now);
  if (inspected && result.numberRepairedFromTyped && result.mrz) {
    inspected = { ...describe(result.mrz, inspected.source, inspected.confirmedByImage, inspected.confidence, now), numberRepairedFromTyped: true };
  }
  const rotation = reading?.rotation ?? null;
  const imageHash = await perceptualHash(image, rotation ?? 0);
  return {
    documentType: type.code,
    mrz: inspected,
    rotationApplied: rotation,
    reasons: result.reasons,
    needsReview: needsReview(result.reasons),
    fieldsVerified: result.fieldsVerified,
    fields: result.fields,
    typeProblems: result.typeProblems,
    expired: result.expired,
    imageHash,
    timings: { mrzMs: round(t1 - t0), totalMs: round(performance.now() - t0) },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function describe(parsed: ParsedMrz, source: InspectedMrz['source'], confirmedByImage: boolean, confidence: number, now: Date): InspectedMrz {
  return {
    source,
    confirmedByImage,
    lines: parsed.lines,
    format: parsed.format,
    fields: {
      ...parsed.fields,
      dateOfBirthIso: mrzDateToIso(parsed.fields.dateOfBirth, 'birth', now),
      expiryDateIso: mrzDateToIso(parsed.fields.expiryDate, 'expiry', now),
    },
    checks: parsed.checks,
    valid: parsed.valid,
    confidence,
  };
}

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l, i) => l === b[i]);

/** Share of positions at which two MRZ blocks of the same shape agree (0 when the shapes differ). */
function agreement(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length || a.some((l, i) => l.length !== b[i]!.length)) return 0;
  let same = 0;
  let total = 0;
  a.forEach((line, i) => {
    for (let k = 0; k < line.length; k += 1) {
      total += 1;
      if (line[k] === b[i]![k]) same += 1;
    }
  });
  return total === 0 ? 0 : same / total;
}
