import { MRZ_STATE_CODES } from './country-codes.js';
import type { ParsedMrz } from './mrz-parser.js';

/** A printed YYMMDD that is a calendar date (any century); fillers stand for an unknown part and pass. */
export function isMrzDate(value: string): boolean {
  if (value.includes('<')) return /^[0-9<]{6}$/.test(value);
  if (!/^\d{6}$/.test(value)) return false;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * How much a reading looks like a real MRZ beyond its check digits (0-1): a document code ICAO allows (P, I, A,
 * C, V), known state codes, calendar dates, a sex code, a name. Noise read from an upside-down band can satisfy
 * its check digits after repair; it rarely satisfies these.
 */
export function mrzPlausibility(parsed: ParsedMrz): number {
  const f = parsed.fields;
  const tests = [
    /^[PIACV]/.test(f.documentCode),
    MRZ_STATE_CODES.has(f.issuingState),
    MRZ_STATE_CODES.has(f.nationality),
    isMrzDate(f.dateOfBirth),
    isMrzDate(f.expiryDate),
    f.sex !== null,
    /^[A-Z]{2}/.test(f.surname || f.givenNames),
  ];
  return tests.filter(Boolean).length / tests.length;
}
