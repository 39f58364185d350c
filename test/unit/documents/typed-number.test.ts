/**
 * A typed number that the OCR read with look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B) and that verifies the MRZ's
 * check digits counts as a match, preferred over the reading even when the reading verifies too.
 */
import { describe, expect, it } from 'vitest';
import { crossCheckDocument, type TypedDocumentFields } from '../../../src/documents/checks/cross-checks.js';
import { needsReview } from '../../../src/documents/checks/document-reasons.js';
import { parseMrz } from '../../../src/documents/mrz/mrz-parser.js';
import { ocrConfusable, withTypedNumber } from '../../../src/documents/mrz/typed-number.js';
import { DOCUMENT_TYPES } from '../../../src/documents/types/document-type.schema.js';
import { RAHIMOV, td1, td3 } from './mrz-fixtures.js';

const now = new Date('2025-06-01T00:00:00Z');
// Printed C0A1D2345: positions 1 and 4 both weigh 3 in the check digit, so reading D for 0 there and 0 for D
// leaves the number's check digit (and the composite, which starts with the number) as it was.
const PRINTED = 'C0A1D2345';
const SWAPPED = 'CDA102345';
const typed: TypedDocumentFields = {
  documentType: 'tj_passport', number: PRINTED, surname: 'Раҳимов', givenNames: 'Азиз', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01',
};
const check = (lines: string[], number = PRINTED, documentType = 'tj_passport') => crossCheckDocument({
  type: DOCUMENT_TYPES.get(documentType)!, typed: { ...typed, documentType, number }, mrz: { parsed: parseMrz(lines)!, confirmedByImage: true }, typedLinesDisagree: null,
}, now);
/** The MRZ of `number` with its number field then replaced by `read` (check digits left as printed). */
const readAs = (lines: string[], read: string, line = 1, start = 0) =>
  lines.map((l, i) => (i === line ? l.slice(0, start) + read + l.slice(start + read.length) : l));

describe('typed number against an OCR reading with look-alikes', () => {
  it('the swap of the issue verifies both ways: the reading alone cannot tell', () => {
    const read = parseMrz(readAs(td3({ ...RAHIMOV, number: PRINTED }), SWAPPED))!;
    expect(read.fields.documentNumber).toBe(SWAPPED);
    expect(read.valid).toBe(true);
  });

  it('counts the typed number as a match, says so, and answers with the typed number (TD3)', () => {
    const r = check(readAs(td3({ ...RAHIMOV, number: PRINTED }), SWAPPED));
    expect(r.fields.number).toBe('match');
    expect(r.numberRepairedFromTyped).toBe(true);
    expect(r.reasons).toEqual(['MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR']);
    expect(r.fieldsVerified).toBe(true);
    expect(needsReview(r.reasons)).toBe(false);
    expect(r.mrz?.fields.documentNumber).toBe(PRINTED);
    expect(r.mrz?.valid).toBe(true);
  });

  it('does the same on a TD1 card', () => {
    const r = check(readAs(td1({ ...RAHIMOV, number: PRINTED }), SWAPPED, 0, 5), PRINTED, 'tj_id_card');
    expect(r.reasons).toEqual(['MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR']);
    expect(r.mrz?.fields.documentNumber).toBe(PRINTED);
  });

  it('repairs a reading whose number check digit failed when the typed number verifies it', () => {
    // 5 read as S at the end: the number and composite digits fail as read.
    const lines = readAs(td3({ ...RAHIMOV, number: PRINTED }), 'C0A1D234S');
    expect(parseMrz(lines)!.checks).toMatchObject({ documentNumber: false, composite: false });
    const r = check(lines);
    expect(r.reasons).toEqual(['MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR']);
    expect(r.mrz?.valid).toBe(true);
  });

  it('keeps the mismatch when the typed number differs by more than look-alikes', () => {
    const r = check(readAs(td3({ ...RAHIMOV, number: PRINTED }), SWAPPED), 'C0A1D2346');
    expect(r.fields.number).toBe('mismatch');
    expect(r.reasons).toEqual(['MRZ_NUMBER_MISMATCH', 'DOCUMENT_FIELDS_UNVERIFIED']);
    expect(r.numberRepairedFromTyped).toBe(false);
  });

  it('keeps the mismatch when the typed look-alike does not verify the check digit', () => {
    // S (28) for the last 5 changes the weighted sum by 23: the typed number is not the one the digit covers.
    const r = check(td3({ ...RAHIMOV, number: PRINTED }), 'C0A1D234S');
    expect(r.reasons).toContain('MRZ_NUMBER_MISMATCH');
    expect(r.mrz?.fields.documentNumber).toBe(PRINTED);
  });

  it('leaves an agreeing number alone (no flag)', () => {
    expect(check(td3({ ...RAHIMOV, number: PRINTED })).reasons).toEqual([]);
    expect(withTypedNumber(parseMrz(td3({ ...RAHIMOV, number: PRINTED }))!, 'c0a1-d2345')).toBeNull();
  });

  it('prefers the typed reading over another valid one, in either direction of the swap', () => {
    // Printed CDA102345, typed so, read C0A1D2345: also valid, and the typed one still decides.
    const r = check(readAs(td3({ ...RAHIMOV, number: SWAPPED }), PRINTED), SWAPPED);
    expect(r.reasons).toEqual(['MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR']);
    expect(r.mrz?.fields.documentNumber).toBe(SWAPPED);
  });

  it('never lets a typed number break a check digit that verified as read, nor change its length', () => {
    const lines = td3({ ...RAHIMOV, number: PRINTED });
    expect(withTypedNumber(parseMrz(lines)!, 'C0A1D234')).toBeNull();
    expect(withTypedNumber(parseMrz(lines)!, 'C0A1D23455')).toBeNull();
  });

  it('knows which characters the OCR confuses', () => {
    for (const [a, b] of [['0', 'O'], ['D', '0'], ['Q', 'O'], ['1', 'I'], ['L', '1'], ['2', 'Z'], ['5', 'S'], ['8', 'B']]) expect(ocrConfusable(a!, b!)).toBe(true);
    for (const [a, b] of [['C', '0'], ['6', 'G'], ['7', '1'], ['A', '4']]) expect(ocrConfusable(a!, b!)).toBe(false);
  });
});
