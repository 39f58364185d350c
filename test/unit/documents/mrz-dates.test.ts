import { describe, expect, it } from 'vitest';
import { isExpired, isoToMrzDate, mrzDateToIso } from '../../../src/documents/checks/mrz-dates.js';

const now = new Date('2025-06-01T10:00:00Z');

describe('MRZ dates', () => {
  it('puts a birth date in the latest century that is not in the future (pensioners are old)', () => {
    expect(mrzDateToIso('550314', 'birth', now)).toBe('1955-03-14');
    expect(mrzDateToIso('250101', 'birth', now)).toBe('2025-01-01');
    expect(mrzDateToIso('250701', 'birth', now)).toBe('1925-07-01');
  });

  it('puts an expiry date within fifty years of today', () => {
    expect(mrzDateToIso('300101', 'expiry', now)).toBe('2030-01-01');
    expect(mrzDateToIso('961210', 'expiry', now)).toBe('1996-12-10');
  });

  it('refuses impossible dates and fillers', () => {
    expect(mrzDateToIso('551340', 'birth', now)).toBeNull();
    expect(mrzDateToIso('550230', 'birth', now)).toBeNull();
    expect(mrzDateToIso('55<<<<', 'birth', now)).toBeNull();
  });

  it('converts ISO dates and judges expiry by calendar day', () => {
    expect(isoToMrzDate('1955-03-14')).toBe('550314');
    expect(isExpired('2025-06-01', now)).toBe(false);
    expect(isExpired('2025-05-31', now)).toBe(true);
  });
});
