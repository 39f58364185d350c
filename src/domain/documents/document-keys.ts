/**
 * What identifies an identity document across subjects: its number (typed, and as the MRZ prints it) and its
 * issuing state. Pure: the registry turns these into keyed hashes before anything is stored or compared.
 */
import { DOCUMENT_TYPES, normaliseDocumentNumber, type DocumentInspection } from '../../documents/index.js';

/** One document number of a subject, normalised ({@link normaliseDocumentNumber}). Personal data until hashed. */
export interface DocumentNumberKey {
  /** `typed`: the subject record's; `mrz`: read from the photo, its check digit verified. */
  readonly source: 'typed' | 'mrz';
  readonly number: string;
}

export interface DocumentKeys {
  /** Distinct numbers, the typed one first. */
  readonly numbers: readonly DocumentNumberKey[];
  /** ICAO code of the issuing state, or null when neither the MRZ nor the document type tells it. */
  readonly issuer: string | null;
}

/**
 * The keys of one document. The MRZ's number counts only when the photo shows it and its check digit verifies (a
 * misread number would match a stranger's); the issuer is the MRZ's, else the declared type's when it has exactly
 * one (a Tajik passport: TJK), else unknown. The declared type is deliberately not part of the key: the same number
 * under another type is far more often the same card declared differently than a coincidence.
 */
export function documentKeys(typedNumber: string, documentType: string, mrz: DocumentInspection['mrz']): DocumentKeys {
  const numbers: DocumentNumberKey[] = [];
  const add = (source: DocumentNumberKey['source'], raw: string) => {
    const number = normaliseDocumentNumber(raw);
    if (number.length > 0 && !numbers.some((n) => n.number === number)) numbers.push({ source, number });
  };
  add('typed', typedNumber);
  const shown = mrz !== null && (mrz.source === 'image' || mrz.confirmedByImage);
  if (shown && mrz.checks.documentNumber === true) add('mrz', mrz.fields.documentNumber);
  const typeIssuers = DOCUMENT_TYPES.get(documentType)?.mrz?.issuingStates ?? [];
  const mrzIssuer = shown && /^[A-Z]{3}$/.test(mrz.fields.issuingState) ? mrz.fields.issuingState : null;
  return { numbers, issuer: mrzIssuer ?? (typeIssuers.length === 1 ? typeIssuers[0]! : null) };
}
