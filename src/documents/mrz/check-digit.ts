/**
 * ICAO 9303 part 3, 4.9: check digits. Each character is valued (digits as themselves, A-Z as 10-35, the filler
 * `<` as 0), weighted 7, 3, 1 repeating, and the sum taken modulo 10.
 */

/** The MRZ alphabet: upper-case Latin letters, digits and the filler. */
export const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

const WEIGHTS = [7, 3, 1] as const;

/** Value of one MRZ character in the check-digit sum, or -1 outside the MRZ alphabet. */
export function charValue(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (char === '<') return 0;
  return -1;
}

/** The check digit (0-9) of a field, or null when the field holds a character outside the MRZ alphabet. */
export function computeCheckDigit(field: string): number | null {
  let sum = 0;
  for (let i = 0; i < field.length; i += 1) {
    const value = charValue(field[i]!);
    if (value < 0) return null;
    sum += value * WEIGHTS[i % 3]!;
  }
  return sum % 10;
}

/**
 * Whether `checkChar` is the right check digit for `field`. A filler in place of the digit is accepted only when the
 * whole field is fillers (ICAO 9303 part 4: an unused optional personal-number field may carry `<` or `0`).
 */
export function isCheckDigitValid(field: string, checkChar: string): boolean {
  const expected = computeCheckDigit(field);
  if (expected === null) return false;
  if (checkChar === '<') return /^<*$/.test(field);
  return checkChar === String(expected);
}
