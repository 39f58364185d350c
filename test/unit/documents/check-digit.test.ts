import { describe, expect, it } from 'vitest';
import { charValue, computeCheckDigit, isCheckDigitValid } from '../../../src/documents/mrz/check-digit.js';

describe('ICAO 9303 check digits', () => {
  it('computes the digits of the ICAO specimen passport', () => {
    expect(computeCheckDigit('L898902C3')).toBe(6);
    expect(computeCheckDigit('740812')).toBe(2);
    expect(computeCheckDigit('120415')).toBe(9);
    expect(computeCheckDigit('ZE184226B<<<<<')).toBe(1);
    expect(computeCheckDigit('L898902C36740812212041594ZE184226B<<<<<1')).toBe(0);
  });

  it('values digits as themselves, letters from 10 and the filler as 0', () => {
    expect([charValue('7'), charValue('A'), charValue('Z'), charValue('<'), charValue('a')]).toEqual([7, 10, 35, 0, -1]);
    expect(computeCheckDigit('ab')).toBeNull();
  });

  it('accepts a filler for the digit only when the whole field is fillers', () => {
    expect(isCheckDigitValid('<<<<<<<<<<<<<<', '<')).toBe(true);
    expect(isCheckDigitValid('<<<<<<<<<<<<<<', '0')).toBe(true);
    expect(isCheckDigitValid('0000000000', '<')).toBe(false);
    expect(isCheckDigitValid('L898902C3', '7')).toBe(false);
  });
});
