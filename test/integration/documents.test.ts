/**
 * Identity documents end to end: the real tesseract.js reader on rendered pages (always) and on the specimen
 * documents of ../shared/datasets/documents (when present). Pages are drawn here, from made-up holders.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMrzReader, inspectDocument, type MrzReader, type TypedDocumentFields } from '../../src/documents/index.js';
import { normalizeUpload } from '../../src/images/image-codec.js';
import { describeIfDatasets, documentPath } from '../support/datasets.js';
import { ICAO_TD3, RAHIMOV, td1, td3 } from '../unit/documents/mrz-fixtures.js';

const now = new Date('2025-06-01T09:00:00Z');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A document page photo: a header, a grey portrait block, a few printed fields and, if given, the MRZ lines. */
async function renderPage(title: string, fields: string[], mrz: string[] | null, size = { width: 1250, height: 880 }): Promise<Buffer> {
  const lineGap = mrz && mrz.length === 3 ? 58 : 62;
  const mrzTop = size.height - 40 - (mrz?.length ?? 0) * lineGap;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">
<rect width="100%" height="100%" fill="#f4efe6"/>
<text x="60" y="80" font-family="DejaVu Sans" font-size="34" fill="#233">${xml(title)}</text>
<rect x="60" y="140" width="300" height="380" fill="#c9cbd8"/>
${fields.map((f, i) => `<text x="420" y="${200 + i * 60}" font-family="DejaVu Sans" font-size="26">${xml(f)}</text>`).join('\n')}
${(mrz ?? []).map((l, i) => `<text x="60" y="${mrzTop + (i + 1) * lineGap}" font-family="DejaVu Sans Mono" font-weight="bold" font-size="${l.length > 40 ? 40 : 44}" letter-spacing="2">${xml(l)}</text>`).join('\n')}
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

const typed: TypedDocumentFields = {
  documentType: 'tj_passport', number: 'A1234567', surname: 'Раҳимов', givenNames: 'Азиз', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01',
};
const passportFields = ['RAHIMOV / РАҲИМОВ', 'AZIZ / АЗИЗ', '14.03.1955', '01.01.2030'];

describe('document inspection with the real OCR (tesseract.js, offline)', () => {
  let reader: MrzReader;
  let passport: Buffer;

  beforeAll(async () => {
    reader = await createMrzReader();
    passport = await renderPage('ҶУМҲУРИИ ТОҶИКИСТОН · PASSPORT', passportFields, td3(RAHIMOV));
  });
  afterAll(async () => {
    await reader?.close();
  });

  it('reads and verifies the MRZ of a Tajik passport page and agrees with the typed Cyrillic fields', async () => {
    const inspection = await inspectDocument(reader, passport, typed, now);
    expect(inspection.mrz).toMatchObject({ source: 'image', format: 'TD3', lines: td3(RAHIMOV), valid: true });
    expect(inspection.mrz!.confidence).toBeGreaterThan(0.8);
    expect(inspection.mrz!.fields).toMatchObject({ issuingState: 'TJK', dateOfBirthIso: '1955-03-14', expiryDateIso: '2030-01-01' });
    expect(inspection.reasons).toEqual([]);
    expect(inspection.fieldsVerified).toBe(true);
    expect(inspection.rotationApplied).toBe(0);
    expect(inspection.imageHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([90, 180, 270] as const)('still reads the MRZ of the page photographed turned %i degrees', async (turn) => {
    const turned = await sharp(passport).rotate(turn).jpeg({ quality: 88 }).toBuffer();
    const inspection = await inspectDocument(reader, turned, typed, now);
    expect(inspection.mrz?.lines).toEqual(td3(RAHIMOV));
    expect(inspection.rotationApplied).toBe((360 - turn) % 360);
    expect(inspection.fieldsVerified).toBe(true);
  });

  it('gives the reason code of a typed field that disagrees with the MRZ', async () => {
    const inspection = await inspectDocument(reader, passport, { ...typed, number: 'A7654321', dateOfBirth: '1956-03-14' }, now);
    expect(inspection.reasons).toEqual(['MRZ_NUMBER_MISMATCH', 'MRZ_BIRTH_DATE_MISMATCH', 'DOCUMENT_FIELDS_UNVERIFIED']);
    expect(inspection.fields).toMatchObject({ number: 'mismatch', dateOfBirth: 'mismatch', surname: 'match' });
    expect(inspection.needsReview).toBe(true);
  });

  it('counts a typed number that differs from the reading only in look-alikes and verifies as a match, and says so', async () => {
    // Printed C0A1D2345; CDA102345 (D for 0, 0 for D at two positions of equal weight) verifies the same digit.
    const page = await renderPage('ҶУМҲУРИИ ТОҶИКИСТОН · PASSPORT', passportFields, td3({ ...RAHIMOV, number: 'C0A1D2345' }));
    const swapped = await inspectDocument(reader, page, { ...typed, number: 'CDA102345' }, now);
    expect(swapped.fields.number).toBe('match');
    expect(swapped.reasons).toEqual(['MRZ_NUMBER_MATCHED_AFTER_OCR_REPAIR']);
    expect(swapped.needsReview).toBe(false);
    expect(swapped.mrz).toMatchObject({ numberRepairedFromTyped: true, valid: true, fields: { documentNumber: 'CDA102345' } });
    const asPrinted = await inspectDocument(reader, page, { ...typed, number: 'C0A1D2345' }, now);
    expect(asPrinted.fields.number).toBe('match');
    expect(asPrinted.reasons).not.toContain('MRZ_NUMBER_MISMATCH');
  });

  it('sends a stateless-person certificate without MRZ to review with DOCUMENT_FIELDS_UNVERIFIED', async () => {
    const certificate = await renderPage('УДОСТОВЕРЕНИЕ ЛИЦА БЕЗ ГРАЖДАНСТВА', ['НАЗАРОВА / NAZAROVA', 'МАЛИКА / MALIKA', '02.11.1949', 'No 0012345'], null);
    const inspection = await inspectDocument(reader, certificate, {
      documentType: 'stateless_certificate', number: '0012345', surname: 'Назарова', givenNames: 'Малика', dateOfBirth: '1949-11-02', expiryDate: '2027-05-01',
    }, now);
    expect(inspection.mrz).toBeNull();
    expect(inspection.reasons).toEqual(['DOCUMENT_FIELDS_UNVERIFIED']);
    expect(inspection.needsReview).toBe(true);
    expect(inspection.fieldsVerified).toBe(false);
    expect(inspection.expired).toBe(false);
  });

  it('reads the three lines of a Tajik ID card and flags it expired without failing it', async () => {
    const holder = { ...RAHIMOV, number: '400123456', expiry: '240101' };
    const card = await renderPage('КОРТИ ШИНОСОӢ · ID CARD', ['RAHIMOV', 'AZIZ'], td1(holder), { width: 1000, height: 640 });
    const inspection = await inspectDocument(reader, card, { ...typed, documentType: 'tj_id_card', number: '400123456', expiryDate: '2024-01-01' }, now);
    expect(inspection.mrz).toMatchObject({ format: 'TD1', lines: td1(holder), valid: true });
    expect(inspection.reasons).toEqual(['DOCUMENT_EXPIRED']);
    expect(inspection.fieldsVerified).toBe(true);
  });

  it('writes nothing to stdout or stderr while inspecting (no document text in logs)', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    try {
      await inspectDocument(reader, passport, typed, now);
      await new Promise((r) => setTimeout(r, 50));
      expect([...out.mock.calls, ...err.mock.calls, ...log.mock.calls, ...warn.mock.calls]).toEqual([]);
    } finally {
      out.mockRestore();
      err.mockRestore();
      log.mockRestore();
      warn.mockRestore();
    }
  });
});

describeIfDatasets('document inspection on specimen documents (datasets)', () => {
  let reader: MrzReader;
  beforeAll(async () => {
    reader = await createMrzReader();
  });
  afterAll(async () => {
    await reader?.close();
  });

  const upload = async (file: string) =>
    (await normalizeUpload(await readFile(documentPath(file)), 'document', { maxPixels: 40_000_000, maxSide: 2000 })).jpeg;

  it('reads the ICAO specimen passport turned 90 degrees and verifies a foreign passport typed to match', async () => {
    const page = await upload('passporteye/tests_passport_td3_jpg.jpg');
    const sideways = await sharp(page).rotate(90).jpeg({ quality: 90 }).toBuffer();
    const inspection = await inspectDocument(reader, sideways, {
      documentType: 'foreign_passport', number: 'L898902C3', surname: 'Eriksson', givenNames: 'Anna Maria', dateOfBirth: '1974-08-12', expiryDate: '2012-04-15',
    }, now);
    expect(inspection.mrz?.lines).toEqual(ICAO_TD3);
    expect(inspection.rotationApplied).toBe(270);
    expect(inspection.reasons).toEqual(['DOCUMENT_EXPIRED']);
    expect(inspection.fieldsVerified).toBe(true);
  });

  it('says MRZ_DOCUMENT_TYPE_MISMATCH when a foreign passport is declared a Tajik one', async () => {
    const inspection = await inspectDocument(reader, await upload('arg0s1080_mrz/passports_Ukraine.png'), {
      documentType: 'tj_passport', number: 'XX000000', surname: 'Ткаченко', givenNames: 'Мар\u2019яна', dateOfBirth: '1991-08-24', expiryDate: '2023-09-25',
    }, now);
    expect(inspection.mrz?.fields.issuingState).toBe('UKR');
    expect(inspection.typeProblems).toEqual(['issuing_state', 'nationality']);
    expect(inspection.reasons).toContain('MRZ_DOCUMENT_TYPE_MISMATCH');
    expect(inspection.fields).toMatchObject({ number: 'match', surname: 'match', givenNames: 'match', dateOfBirth: 'match' });
  });
});
