import { isCheckDigitValid } from './check-digit.js';
import { layoutFor, slice, type CheckName, type MrzFormat, type MrzLayout } from './mrz-format.js';

/** The data elements of an MRZ, fillers removed. Dates stay as printed (YYMMDD): the century is a judgement. */
export interface MrzFields {
  /** e.g. `P`, `PO`, `ID`, `I`, `AR`, `V`. */
  readonly documentCode: string;
  /** Three-letter code (ICAO 9303 part 3), `D` for Germany. */
  readonly issuingState: string;
  /** The whole number, including the part a TD1/TD2 carries in its optional data when it is longer than 9. */
  readonly documentNumber: string;
  /** Three-letter code; `XXA` stateless person, `XXB`/`XXC` refugee, `XXX` unspecified. */
  readonly nationality: string;
  /** YYMMDD as printed (may hold `<` for an unknown part). */
  readonly dateOfBirth: string;
  /** M, F or X (unspecified, also printed as `<`). */
  readonly sex: 'M' | 'F' | 'X' | null;
  /** YYMMDD as printed. */
  readonly expiryDate: string;
  /** Primary identifier: the part before `<<`, single `<` read as spaces. */
  readonly surname: string;
  /** Secondary identifier: the part after `<<`. */
  readonly givenNames: string;
  /** TD3 personal number, else the optional data elements, each trimmed of fillers. */
  readonly optionalData: readonly string[];
}

/** Verdict per check digit present in the format (a visa has no composite digit, only TD3 a personal-number one). */
export type MrzChecks = Partial<Record<CheckName, boolean>>;

export interface ParsedMrz {
  readonly format: MrzFormat;
  readonly lines: readonly string[];
  readonly fields: MrzFields;
  readonly checks: MrzChecks;
  /** Every check digit present verifies. */
  readonly valid: boolean;
}

const MRZ_LINE = /^[A-Z0-9<]+$/;

/** Removes fillers at both ends and reads inner single fillers as spaces. */
export function unfill(value: string): string {
  return value.replace(/<+/g, ' ').trim();
}

/**
 * Parses an MRZ block (2 or 3 lines, upper case, fillers as `<`) and verifies every check digit. Returns null when
 * the block has no ICAO shape (line count and lengths) or holds characters outside the MRZ alphabet; a block of
 * the right shape always parses, with failing digits reported in `checks`.
 */
export function parseMrz(input: readonly string[]): ParsedMrz | null {
  const lines = input.map((l) => l.trim());
  if (!lines.every((l) => MRZ_LINE.test(l))) return null;
  const layout = layoutFor(lines);
  if (!layout) return null;

  const number = documentNumber(lines, layout);
  const checks: MrzChecks = {};
  for (const spec of layout.checks) {
    const checkChar = slice(lines, spec.at);
    checks[spec.name] = spec.name === 'documentNumber'
      ? number.variants.some((v) => isCheckDigitValid(v, number.checkChar))
      : isCheckDigitValid(spec.over.map((s) => slice(lines, s)).join(''), checkChar);
  }

  const [surname = '', ...given] = slice(lines, layout.name).replace(/<+$/, '').split('<<');
  const sexChar = slice(lines, layout.sex);
  const fields: MrzFields = {
    documentCode: unfill(slice(lines, layout.documentCode)),
    issuingState: unfill(slice(lines, layout.issuingState)),
    documentNumber: unfill(number.value),
    nationality: unfill(slice(lines, layout.nationality)),
    dateOfBirth: slice(lines, layout.dateOfBirth),
    sex: sexChar === 'M' || sexChar === 'F' ? sexChar : sexChar === '<' || sexChar === 'X' ? 'X' : null,
    expiryDate: slice(lines, layout.expiryDate),
    surname: unfill(surname),
    givenNames: unfill(given.join('<<')),
    optionalData: layout.optional.map((s) => slice(lines, s)).map((v, i) => (i === 0 && number.overflow ? v.slice(number.overflow) : v)).map(unfill),
  };
  return { format: layout.format, lines, fields, checks, valid: Object.values(checks).every(Boolean) };
}

interface DocumentNumber {
  readonly value: string;
  /** The strings its check digit may have been computed over. */
  readonly variants: readonly string[];
  readonly checkChar: string;
  /** Characters of the optional data that belong to the number (with its check digit). */
  readonly overflow: number;
}

/**
 * The document number and what its check digit covers. TD1/TD2 numbers longer than 9 characters put `<` after the
 * 9 principal characters and continue in the optional data, ended by their check digit (ICAO 9303-5 4.2.2 note j).
 * ICAO's digit covers the number's characters only; some issuers (Belgian eID cards) include the `<` between the
 * two parts. Both are accepted, as the validators that recorded the sample verdicts do.
 */
function documentNumber(lines: readonly string[], layout: MrzLayout): DocumentNumber {
  const principal = slice(lines, layout.documentNumber);
  const checkChar = (lines[layout.documentNumber.line] ?? '')[layout.documentNumber.end] ?? '';
  if (checkChar === '<' && layout.numberOverflow) {
    const run = /^[A-Z0-9]+/.exec(slice(lines, layout.numberOverflow))?.[0] ?? '';
    if (run.length >= 1) {
      const rest = run.slice(0, -1);
      return { value: principal + rest, variants: [principal + rest, `${principal}<${rest}`], checkChar: run.slice(-1), overflow: run.length };
    }
  }
  return { value: principal, variants: [principal], checkChar, overflow: 0 };
}
