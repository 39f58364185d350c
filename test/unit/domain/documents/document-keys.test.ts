import { describe, expect, it } from 'vitest';
import type { InspectedMrz } from '../../../../src/documents/index.js';
import { parseMrz } from '../../../../src/documents/mrz/mrz-parser.js';
import { documentKeys } from '../../../../src/domain/documents/document-keys.js';
import { RAHIMOV, td3 } from '../../documents/mrz-fixtures.js';

/** An inspection's MRZ as read from the photo (or typed, not shown by it). */
function mrz(lines: string[], over: Partial<InspectedMrz> = {}): InspectedMrz {
  const parsed = parseMrz(lines)!;
  return {
    source: 'image', confirmedByImage: true, lines: parsed.lines, format: parsed.format,
    fields: { ...parsed.fields, dateOfBirthIso: null, expiryDateIso: null }, checks: parsed.checks, valid: parsed.valid, confidence: 0.9,
    ...over,
  };
}

describe('document keys (what identifies a document across subjects)', () => {
  it('takes the typed number, and the MRZ number only when it differs, its issuer from the MRZ', () => {
    expect(documentKeys('a1234567', 'tj_passport', mrz(td3(RAHIMOV)))).toEqual({ numbers: [{ source: 'typed', number: 'A1234567' }], issuer: 'TJK' });
    const other = documentKeys('A7654321', 'foreign_passport', mrz(td3({ ...RAHIMOV, nationality: 'UZB' })));
    expect(other).toEqual({ numbers: [{ source: 'typed', number: 'A7654321' }, { source: 'mrz', number: 'A1234567' }], issuer: 'UZB' });
  });

  it('folds what people and OCR confuse (O/0, I/L/1, spaces, dashes) so the same number meets itself', () => {
    const a = documentKeys('AO 12-3456I', 'tj_passport', null).numbers;
    const b = documentKeys('A0123456L', 'tj_passport', null).numbers;
    expect(a).toEqual(b);
    expect(a[0]!.number).toBe('A01234561');
  });

  it('ignores an MRZ number whose check digit fails, or MRZ lines the photo does not show', () => {
    const [l1, l2] = td3({ ...RAHIMOV, number: 'B1111111' }) as [string, string];
    const misread = mrz([l1, `${l2.slice(0, 9)}0${l2.slice(10)}`]);
    expect(misread.checks.documentNumber).toBe(false);
    expect(documentKeys('A1234567', 'tj_passport', misread).numbers).toEqual([{ source: 'typed', number: 'A1234567' }]);
    const typedOnly = mrz(td3({ ...RAHIMOV, number: 'B1111111' }), { source: 'typed', confirmedByImage: false });
    expect(documentKeys('A1234567', 'foreign_passport', typedOnly)).toEqual({ numbers: [{ source: 'typed', number: 'A1234567' }], issuer: null });
  });

  it('falls back to the declared type for the issuer: one state (a Tajik card) or unknown (a foreign passport)', () => {
    expect(documentKeys('400123456', 'tj_id_card', null).issuer).toBe('TJK');
    expect(documentKeys('400123456', 'foreign_passport', null).issuer).toBeNull();
    expect(documentKeys('0012345', 'stateless_certificate', null).issuer).toBeNull();
  });
});
