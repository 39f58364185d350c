import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage, type SyntheticFields } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The same identity document under two subjects, through the API, the worker and PostgreSQL: the document number
// (kept only as keyed hashes) and the document photo (perceptual fingerprints of page and portrait). Pages are
// synthetic passports of one design (as every Tajik passport is) carrying the sample faces shipped in samples/.
let stack: Stack;
type Page = { face: string; fields: Partial<SyntheticFields> };
const face = (name: string) => `samples/faces/${name}.jpg`;
const typedFor = (f: Partial<SyntheticFields>) => ({
  documentType: 'foreign_passport', number: f.documentNumber!, surname: f.surname!, givenNames: f.givenNames!,
  dateOfBirth: '1952-03-14', expiryDate: '2031-01-01',
});
const ZARINA: Page = { face: 'sample1-face1', fields: { surname: 'RAHIMOVA', givenNames: 'ZARINA', documentNumber: '400123456' } };
const MALIKA: Page = { face: 'sample5-face5', fields: { surname: 'NAZAROVA', givenNames: 'MALIKA', documentNumber: '400555111' } };
const AZIZ: Page = { face: 'sample3-face2', fields: { surname: 'KARIMOV', givenNames: 'AZIZ', documentNumber: '400777222' } };
const page = (p: Page, rotate: 0 | 90 | 180 | 270 = 0) =>
  makeSyntheticPassportPage(face(p.face), { fields: { birthDate: '520314', expiryDate: '310101', ...p.fields }, rotate });

const subjectIds: Record<string, string> = {};
const results: Record<string, Awaited<ReturnType<typeof enrol>>> = {};

/** Enrols `ref` with a selfie of `selfieOf` and the given page, its fields typed as `typed`. */
async function enrol(ref: string, selfieOf: Page, document: Buffer, typed: Partial<SyntheticFields>) {
  await createConsentingSubject(stack.client, ref, typedFor(typed));
  const [row] = await stack.service.platform.db.query<{ id: string }>('SELECT id FROM subjects WHERE external_ref = $1', [ref]);
  subjectIds[ref] = row!.id;
  const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, { selfie: readFileSync(face(selfieOf.face)), document });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return stack.client.waitForSubmission(res.body.submissionId, 120_000);
}

const rows = async (table: 'document_number_hashes' | 'document_fingerprints', ref: string) =>
  stack.service.platform.db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE subject_id = $1`, [subjectIds[ref]]);

beforeAll(async () => {
  stack = await startStack({ worker: true, env: { DOCUMENT_OCR: 'true' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the same document under two subjects', () => {
  it('a first enrolment finds nothing elsewhere and reports its portrait', async () => {
    const r = results['PN-REG1'] = await enrol('PN-REG1', ZARINA, await page(ZARINA), ZARINA.fields);
    expect(r.document, JSON.stringify(r.reasons)).toMatchObject({ mrzFound: true, fieldsVerified: true, elsewhere: { numberHolders: 0, imageMatches: 0 } });
    expect(r.reasons).not.toContain('DOCUMENT_NUMBER_ENROLLED_ELSEWHERE');
    expect(r.reasons).not.toContain('DOCUMENT_IMAGE_REUSED');
    expect(r.document.portrait).toMatchObject({ rotationApplied: 0, findings: [] });
    expect(r.document.portrait.interEyePx).toBeGreaterThan(28);
    expect(['good', 'fair']).toContain(r.document.portrait.grade);
    // Stored as keyed hashes and bit strings only: neither the number nor the name is in the registry.
    const numbers = await rows('document_number_hashes', 'PN-REG1');
    expect(numbers).toHaveLength(1);
    expect(JSON.stringify(numbers)).not.toMatch(/400123456|RAHIMOVA/);
    expect(numbers[0]!['number_hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(await rows('document_fingerprints', 'PN-REG1')).toHaveLength(1);
  });

  it('another person with another document of the same design is not flagged', async () => {
    const r = results['PN-REG2'] = await enrol('PN-REG2', MALIKA, await page(MALIKA), MALIKA.fields);
    expect(r.document.elsewhere).toEqual({ numberHolders: 0, imageMatches: 0 });
    expect(r.reasons).not.toContain('DOCUMENT_NUMBER_ENROLLED_ELSEWHERE');
    expect(r.reasons).not.toContain('DOCUMENT_IMAGE_REUSED');
    expect(r.document.needsReview, JSON.stringify(r.reasons)).toBe(false);
    expect(r.decision, JSON.stringify(r.reasons)).toBe('verified');
  });

  it('another person presenting a document with the same number (typed and in the MRZ) goes to review', async () => {
    const same = { ...AZIZ.fields, documentNumber: ZARINA.fields.documentNumber };
    const r = await enrol('PN-REG3', AZIZ, await page({ ...AZIZ, fields: same }), same);
    // The faces match and liveness passes: the document alone sends the enrolment to a person.
    expect(r.decision, JSON.stringify(r.reasons)).toBe('needs_review');
    expect(r.reasons).toContain('DOCUMENT_NUMBER_ENROLLED_ELSEWHERE');
    expect(r.reasons).not.toContain('DOCUMENT_IMAGE_REUSED');
    expect(r.document).toMatchObject({ needsReview: true, elsewhere: { numberHolders: 1, imageMatches: 0 } });
    expect(JSON.stringify(r)).not.toContain(subjectIds['PN-REG1']!);
  });

  it('the same document photo sent again for someone else (re-encoded, scaled, cropped) goes to review', async () => {
    const original = await page(MALIKA);
    const copy = await sharp(original).extract({ left: 12, top: 10, width: 970, height: 680 }).resize(800).jpeg({ quality: 70 }).toBuffer();
    const typed = { ...MALIKA.fields, surname: 'ORIFOVA', documentNumber: '400888999' };
    const r = await enrol('PN-REG4', MALIKA, copy, typed);
    expect(r.decision, JSON.stringify(r.reasons)).toBe('needs_review');
    expect(r.reasons).toEqual(expect.arrayContaining(['DOCUMENT_IMAGE_REUSED', 'MRZ_NUMBER_MISMATCH']));
    expect(r.document.needsReview).toBe(true);
    expect(r.document.elsewhere.imageMatches).toBe(1);
  });

  it('a page photographed turned 90 degrees still yields its MRZ and its portrait, and is still found as reuse', async () => {
    const r = await enrol('PN-REG5', ZARINA, await page(ZARINA, 90), { ...ZARINA.fields, documentNumber: '400123456' });
    expect(r.document).toMatchObject({ mrzFound: true, checkDigitsValid: true, rotationApplied: 270 });
    expect(r.document.portrait).toMatchObject({ rotationApplied: 270 });
    const upright = results['PN-REG1']!.document.portrait;
    expect(Math.abs(r.document.portrait.interEyePx - upright.interEyePx) / upright.interEyePx).toBeLessThan(0.05);
    expect(r.findings.find((f: { role: string }) => f.role === 'document')).toMatchObject({ rotation: 270 });
    expect(r.findings.find((f: { role: string }) => f.role === 'document').facesDetected).toBeGreaterThan(0);
    // The portrait is matched on the page turned upright by its MRZ: as good as the page photographed straight.
    expect(r.match.similarity).toBeGreaterThan(r.match.threshold.verifyMinSimilarity);
    expect(r.reasons).toEqual(expect.arrayContaining(['DOCUMENT_NUMBER_ENROLLED_ELSEWHERE', 'DOCUMENT_IMAGE_REUSED']));
  });
});

describe('registry rows follow erasure and retention', () => {
  it('erasure removes the subject\'s number hashes and fingerprints, and others no longer meet them', async () => {
    const erased = await stack.client.withKey(stack.keys.operator).json('POST', '/v1/subjects/PN-REG1/erasure', { legalReason: 'subject-request', reference: 'test' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(await rows('document_number_hashes', 'PN-REG1')).toEqual([]);
    expect(await rows('document_fingerprints', 'PN-REG1')).toEqual([]);
    expect(await rows('document_number_hashes', 'PN-REG3')).toHaveLength(1);
  });

  it('a document image purged by retention takes its fingerprint with it; the number stays with the subject', async () => {
    const [item] = await stack.service.platform.db.query<{ id: string }>(
      `SELECT id FROM stored_items WHERE subject_id = $1 AND item_class = 'document_image'`, [subjectIds['PN-REG2']]);
    await stack.service.platform.db.query(`UPDATE stored_items SET delete_at = now() - interval '1 minute' WHERE id = $1`, [item!.id]);
    expect(await stack.service.retention.purge.purgeItem(item!.id)).toBe('purged');
    expect(await rows('document_fingerprints', 'PN-REG2')).toEqual([]);
    expect(await rows('document_number_hashes', 'PN-REG2')).toHaveLength(1);
  });
});
