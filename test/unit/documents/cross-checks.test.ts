import { describe, expect, it } from 'vitest';
import { crossCheckDocument, typeProblems, type TypedDocumentFields } from '../../../src/documents/checks/cross-checks.js';
import { needsReview } from '../../../src/documents/checks/document-reasons.js';
import { parseMrz } from '../../../src/documents/mrz/mrz-parser.js';
import { DOCUMENT_TYPES } from '../../../src/documents/types/document-type.schema.js';
import { RAHIMOV, td1, td3 } from './mrz-fixtures.js';

const now = new Date('2025-06-01T00:00:00Z');
const passport = DOCUMENT_TYPES.get('tj_passport')!;
const typed: TypedDocumentFields = {
  documentType: 'tj_passport', number: 'A1234567', surname: 'Раҳимов', givenNames: 'Азиз Каримович', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01',
};
const fromImage = (lines: string[]) => ({ parsed: parseMrz(lines)!, confirmedByImage: true });
const check = (over: Partial<TypedDocumentFields> = {}, lines = td3(RAHIMOV), type = passport) =>
  crossCheckDocument({ type, typed: { ...typed, ...over }, mrz: fromImage(lines), typedLinesDisagree: null }, now);

describe('document cross-checks', () => {
  it('verifies typed fields that agree with a valid MRZ (Cyrillic names, patronymic extra)', () => {
    const r = check();
    expect(r.reasons).toEqual([]);
    expect(r.fieldsVerified).toBe(true);
    expect(r.fields).toEqual({ number: 'match', surname: 'match', givenNames: 'match', dateOfBirth: 'match', expiryDate: 'match' });
  });

  it.each([
    [{ number: 'A1234568' }, 'MRZ_NUMBER_MISMATCH'],
    [{ surname: 'Раҳимова' }, 'MRZ_SURNAME_MISMATCH'],
    [{ givenNames: 'Карим' }, 'MRZ_GIVEN_NAMES_MISMATCH'],
    [{ dateOfBirth: '1955-04-14' }, 'MRZ_BIRTH_DATE_MISMATCH'],
    [{ expiryDate: '2031-01-01' }, 'MRZ_EXPIRY_DATE_MISMATCH'],
  ] as const)('a typed field that disagrees gives its reason: %o', (over, reason) => {
    const r = check(over);
    expect(r.reasons).toEqual([reason, 'DOCUMENT_FIELDS_UNVERIFIED']);
    expect(r.fieldsVerified).toBe(false);
    expect(needsReview(r.reasons)).toBe(true);
  });

  it('flags an expired document without failing it', () => {
    const r = check({ expiryDate: '2020-01-01' }, td3({ ...RAHIMOV, expiry: '200101' }));
    expect(r.reasons).toEqual(['DOCUMENT_EXPIRED']);
    expect(r.fieldsVerified).toBe(true);
    expect(r.expired).toBe(true);
    expect(needsReview(r.reasons)).toBe(false);
  });

  it('reports a failing check digit and does not judge the field it guards', () => {
    const [l1, l2] = td3(RAHIMOV) as [string, string];
    const r = check({}, [l1, `${l2.slice(0, 9)}0${l2.slice(10)}`]);
    expect(r.reasons).toEqual(['MRZ_CHECK_DIGIT_FAILED', 'DOCUMENT_FIELDS_UNVERIFIED']);
    expect(r.fields.number).toBe('unverified');
  });

  it('sends an MRZ of another document type to review, saying why', () => {
    const foreign = td3({ ...RAHIMOV, nationality: 'UZB' });
    const r = check({}, foreign);
    expect(r.reasons).toContain('MRZ_DOCUMENT_TYPE_MISMATCH');
    expect(r.typeProblems).toEqual(['issuing_state', 'nationality']);
    expect(typeProblems(DOCUMENT_TYPES.get('foreign_passport')!, parseMrz(foreign)!)).toEqual([]);
    expect(typeProblems(DOCUMENT_TYPES.get('tj_id_card')!, parseMrz(td3(RAHIMOV))!)).toEqual(['format', 'document_code']);
    expect(typeProblems(DOCUMENT_TYPES.get('tj_id_card')!, parseMrz(td1(RAHIMOV))!)).toEqual([]);
  });

  it('accepts the stateless nationality codes on a stateless travel document only', () => {
    const stateless = td3({ ...RAHIMOV, nationality: 'XXA', issuer: 'TJK' });
    expect(typeProblems(DOCUMENT_TYPES.get('stateless_travel_document')!, parseMrz(stateless)!)).toEqual([]);
    expect(typeProblems(passport, parseMrz(stateless)!)).toEqual(['nationality']);
  });

  it('leaves the fields of a document without MRZ unverified: review, not failure', () => {
    const certificate = DOCUMENT_TYPES.get('stateless_certificate')!;
    const r = crossCheckDocument({ type: certificate, typed: { ...typed, documentType: 'stateless_certificate' }, mrz: null, typedLinesDisagree: null }, now);
    expect(r.reasons).toEqual(['DOCUMENT_FIELDS_UNVERIFIED']);
    expect(r.expired).toBe(false);
  });

  it('asks for review when a document that has an MRZ shows none', () => {
    const r = crossCheckDocument({ type: passport, typed, mrz: null, typedLinesDisagree: null }, now);
    expect(r.reasons).toEqual(['MRZ_NOT_FOUND', 'DOCUMENT_FIELDS_UNVERIFIED']);
  });
});
