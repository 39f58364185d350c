import type { ParsedMrz } from '../mrz/mrz-parser.js';
import { withTypedNumber } from '../mrz/typed-number.js';
import type { DocumentType } from '../types/document-type.schema.js';
import type { DocumentReason } from './document-reasons.js';
import { isExpired, isoToMrzDate, mrzDateToIso } from './mrz-dates.js';
import { namesMatch } from './transliteration.js';

/** The document fields typed by the pensioner or the operator. Personal data: never logged. */
export interface TypedDocumentFields {
  /** A code from document-types.json. */
  readonly documentType: string;
  readonly number: string;
  readonly surname: string;
  readonly givenNames: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  /** YYYY-MM-DD; absent for documents without an expiry date. */
  readonly expiryDate?: string | null;
  /** MRZ lines sent with the submission (typed, or read by the phone), if any. */
  readonly mrz?: readonly string[] | null;
}

/** Per typed field: agrees with the MRZ, disagrees, or could not be checked (no MRZ, or its check digit fails). */
export type FieldVerdict = 'match' | 'mismatch' | 'unverified';

export interface FieldVerdicts {
  readonly number: FieldVerdict;
  readonly surname: FieldVerdict;
  readonly givenNames: FieldVerdict;
  readonly dateOfBirth: FieldVerdict;
  readonly expiryDate: FieldVerdict;
}

/** Ways an MRZ can fail to be the declared type's. */
export type TypeProblem = 'no_mrz_expected' | 'format' | 'document_code' | 'issuing_state' | 'nationality';

/** How the MRZ of the declared type may look, against what was read. Empty: it fits. */
export function typeProblems(type: DocumentType, parsed: ParsedMrz): TypeProblem[] {
  const rule = type.mrz;
  if (!rule) return ['no_mrz_expected'];
  const f = parsed.fields;
  const problems: TypeProblem[] = [];
  if (!(rule.formats as readonly string[]).includes(parsed.format)) problems.push('format');
  if (!new RegExp(rule.documentCode).test(f.documentCode)) problems.push('document_code');
  if ((rule.issuingStates && !rule.issuingStates.includes(f.issuingState)) || rule.excludeIssuingStates?.includes(f.issuingState)) {
    problems.push('issuing_state');
  }
  if (rule.nationalities && !rule.nationalities.includes(f.nationality)) problems.push('nationality');
  return problems;
}

/**
 * A document number reduced to what identifies it: letters and digits only, and the letters a person typing a
 * number mistakes for digits (and the MRZ reader may too) folded into them (O→0, I/L→1), so those compare equal.
 */
export const normaliseDocumentNumber = (n: string) => n.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

/** The typed fields against an MRZ, one verdict each. A field whose check digit fails is not judged. */
export function compareFields(typed: TypedDocumentFields, parsed: ParsedMrz): FieldVerdicts {
  const f = parsed.fields;
  const c = parsed.checks;
  const judged = (ok: boolean | undefined, same: boolean): FieldVerdict => (ok === false ? 'unverified' : same ? 'match' : 'mismatch');
  // A name field without a trailing filler ran out of room: the MRZ names may be cut short.
  const nameSpan = parsed.format === 'TD1' ? parsed.lines[2]! : parsed.lines[0]!;
  const truncated = !nameSpan.endsWith('<');
  const surnameSame = f.surname === ''
    ? namesMatch(`${typed.surname} ${typed.givenNames}`, f.givenNames, { partial: true, truncated })
    : namesMatch(typed.surname, f.surname, { truncated });
  return {
    number: judged(c.documentNumber, normaliseDocumentNumber(typed.number) === normaliseDocumentNumber(f.documentNumber)),
    surname: surnameSame ? 'match' : 'mismatch',
    givenNames: f.surname === '' || namesMatch(typed.givenNames, f.givenNames, { partial: true, truncated }) ? 'match' : 'mismatch',
    dateOfBirth: judged(c.dateOfBirth, isoToMrzDate(typed.dateOfBirth) === f.dateOfBirth),
    expiryDate: typed.expiryDate ? judged(c.expiryDate, isoToMrzDate(typed.expiryDate) === f.expiryDate) : 'unverified',
  };
}

const MISMATCH_REASON: Readonly<Record<keyof FieldVerdicts, DocumentReason>> = {
  number: 'MRZ_NUMBER_MISMATCH',
  surname: 'MRZ_SURNAME_MISMATCH',
  givenNames: 'MRZ_GIVEN_NAMES_MISMATCH',
  dateOfBirth: 'MRZ_BIRTH_DATE_MISMATCH',
  expiryDate: 'MRZ_EXPIRY_DATE_MISMATCH',
};

/** The MRZ an inspection relies on and where it came from. */
export interface MrzEvidence {
  readonly parsed: ParsedMrz;
  /** Read from the photo, or sent with the submission and confirmed by what the photo shows. */
  readonly confirmedByImage: boolean;
}

export interface CrossCheckInput {
  readonly type: DocumentType;
  readonly typed: TypedDocumentFields;
  readonly mrz: MrzEvidence | null;
  /** Typed MRZ lines disagree with the photo's (null: nothing to compare). */
  readonly typedLinesDisagree: boolean | null;
}

export interface CrossCheckResult {
  readonly reasons: DocumentReason[];
  /**
   * The MRZ judged: the evidence's, with the typed document number in place of the number read when that differs
   * only by OCR confusions and verifies (`numberRepairedFromTyped`, reason MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR).
   */
  readonly mrz: ParsedMrz | null;
  readonly numberRepairedFromTyped: boolean;
  readonly fields: FieldVerdicts;
  readonly typeProblems: TypeProblem[];
  /** True only when an MRZ confirmed by the photo verifies and every typed field agrees with it. */
  readonly fieldsVerified: boolean;
  /** Null when no expiry date is known. */
  readonly expired: boolean | null;
  /** The expiry date judged: the MRZ's when its check digit holds, else the typed one. */
  readonly expiryDate: string | null;
}

const UNVERIFIED: FieldVerdicts = { number: 'unverified', surname: 'unverified', givenNames: 'unverified', dateOfBirth: 'unverified', expiryDate: 'unverified' };

/**
 * Every check of a document that needs no database: MRZ present where the type has one, its check digits, its fit
 * to the declared type, each typed field against it, expiry. Reasons come in a fixed order.
 */
export function crossCheckDocument(input: CrossCheckInput, now: Date): CrossCheckResult {
  const { type, typed } = input;
  const reasons: DocumentReason[] = [];
  const asRead = input.mrz ? compareFields(typed, input.mrz.parsed) : UNVERIFIED;
  // The typed number may be the printed one the OCR read with look-alikes: then it decides (see typed-number.ts).
  const repaired = input.mrz && asRead.number !== 'match' ? withTypedNumber(input.mrz.parsed, typed.number) : null;
  const mrz = input.mrz && repaired ? { ...input.mrz, parsed: repaired } : input.mrz;
  const problems = mrz ? typeProblems(type, mrz.parsed) : [];
  const fields = mrz && repaired ? compareFields(typed, mrz.parsed) : asRead;

  if (type.mrz && !mrz?.confirmedByImage) reasons.push('MRZ_NOT_FOUND');
  if (mrz && !mrz.parsed.valid) reasons.push('MRZ_CHECK_DIGIT_FAILED');
  if (problems.length > 0) reasons.push('MRZ_DOCUMENT_TYPE_MISMATCH');
  if (input.typedLinesDisagree) reasons.push('MRZ_TYPED_LINES_MISMATCH');
  for (const key of Object.keys(MISMATCH_REASON) as (keyof FieldVerdicts)[]) {
    if (fields[key] === 'mismatch') reasons.push(MISMATCH_REASON[key]);
  }
  const fieldsVerified = mrz !== null && mrz.confirmedByImage && mrz.parsed.valid && reasons.length === 0;
  if (!fieldsVerified) reasons.push('DOCUMENT_FIELDS_UNVERIFIED');

  const mrzExpiry = mrz && mrz.parsed.checks.expiryDate ? mrzDateToIso(mrz.parsed.fields.expiryDate, 'expiry', now) : null;
  const expiryDate = mrzExpiry ?? typed.expiryDate ?? null;
  const expired = expiryDate ? isExpired(expiryDate, now) : null;
  if (expired) reasons.push('DOCUMENT_EXPIRED');
  if (repaired) reasons.push('MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR');
  return { reasons, mrz: mrz?.parsed ?? null, numberRepairedFromTyped: repaired !== null, fields, typeProblems: problems, fieldsVerified, expired, expiryDate };
}
