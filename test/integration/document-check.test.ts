import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Enrolment with the document check on: the MRZ read from the page photo against the typed fields.
let stack: Stack;
const selfie = readFileSync('samples/faces/sample1-face1.jpg');
const holder = { surname: 'RAHIMOVA', givenNames: 'ZARINA', documentNumber: '400123456', birthDate: '520314', expiryDate: '310101', sex: 'F' as const };
// The synthetic page is issued by "Utopia" (UTO), so it is a foreign passport for our purposes.
const typed = { documentType: 'foreign_passport', number: '400123456', surname: 'Rahimova', givenNames: 'Zarina', dateOfBirth: '1952-03-14', expiryDate: '2031-01-01' };

async function enrol(ref: string, passport: Record<string, unknown>, alter = (page: Buffer) => Promise.resolve(page)) {
  await createConsentingSubject(stack.client, ref, passport);
  const page = await alter(await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg', { fields: holder }));
  const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, { selfie, document: page });
  return stack.client.waitForSubmission(res.body.submissionId, 90_000);
}

beforeAll(async () => {
  stack = await startStack({ worker: true, env: { DOCUMENT_OCR: 'true' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('document check at enrolment', () => {
  it('verifies when the MRZ read from the page agrees with the typed fields, keeping verdicts only', async () => {
    const result = await enrol('PN-DOC1', typed);
    expect(result.decision, JSON.stringify({ reasons: result.reasons, document: result.document })).toBe('verified');
    expect(result.document).toMatchObject({
      documentType: 'foreign_passport', mrzFound: true, checkDigitsValid: true, fieldsVerified: true, needsReview: false, faces: { detected: 1, rivals: 0 },
    });
    expect(JSON.stringify(result)).not.toContain('400123456');
    expect(JSON.stringify(result)).not.toContain('RAHIMOVA');
  });

  it('sends the enrolment to review with the code of the field that disagrees', async () => {
    const result = await enrol('PN-DOC2', { ...typed, number: '400999999' });
    expect(result.decision).toBe('needs_review');
    expect(result.reasons).toEqual(expect.arrayContaining(['FACE_MATCH', 'MRZ_NUMBER_MISMATCH']));
    expect(result.document.fields.number).toBe('mismatch');
  });

  it('sends a page that also shows another person\'s photo to review with DOCUMENT_MULTIPLE_FACES', async () => {
    const other = await sharp('samples/faces/sample2-face1.jpg').resize(260, 330, { fit: 'cover' }).jpeg().toBuffer();
    const result = await enrol('PN-DOC4', typed, (page) => sharp(page).composite([{ input: other, left: 690, top: 150 }]).jpeg({ quality: 90 }).toBuffer());
    expect(result.decision).toBe('needs_review');
    expect(result.reasons).toEqual(expect.arrayContaining(['FACE_MATCH', 'DOCUMENT_MULTIPLE_FACES']));
    expect(result.document).toMatchObject({ needsReview: true, faces: { detected: 2, ghosts: 0, rivals: 1 } });
  });

  it('sends a stateless-person certificate, which has no MRZ, to review as unverified rather than failing the person', async () => {
    const result = await enrol('PN-DOC3', { ...typed, documentType: 'stateless_certificate' });
    expect(result.decision).toBe('needs_review');
    expect(result.reasons).toContain('DOCUMENT_FIELDS_UNVERIFIED');
  });
});
