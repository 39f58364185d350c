import { describe, expect, it } from 'vitest';
import { documentCard } from '../../../src/dashboard/pages/case-document.js';
import { DICTIONARY } from '../../../src/dashboard/i18n.js';
import type { CaseFile } from '../../../src/domain/review/case.service.js';

const document = {
  documentType: 'tj_passport', mrzFound: true, mrzFormat: 'TD3', checkDigitsValid: true, confidence: 0.93, fieldsVerified: true,
  fields: {}, expired: false, rotationApplied: 270, reasons: ['DOCUMENT_NUMBER_ENROLLED_ELSEWHERE'], needsReview: true,
  portrait: {
    rotationApplied: 270, box: { x: 10, y: 20, width: 150, height: 160 }, score: 0.99, interEyePx: 22.4, faceHeightPx: 160,
    sharpness: 0.02, luminanceMean: 120, contrast: 30, glare: 0.31, dark: 0, findings: ['PORTRAIT_LOW_RESOLUTION', 'PORTRAIT_GLARE'], grade: 'poor',
  },
  elsewhere: { numberHolders: 1, imageMatches: 0 },
} as const;
const file = (doc: unknown) => ({ view: { document: doc } }) as unknown as CaseFile;

describe('case page: identity document card', () => {
  it('shows how much the portrait is worth and whether the document is held elsewhere, in the reviewer\'s language', () => {
    const html = documentCard({ lang: 'ru', t: DICTIONARY.ru, staff: null, path: '/' }, file(document));
    expect(html).toContain('Портрет на странице');
    expect(html).toContain('<strong>22</strong>');
    expect(html).toContain('PORTRAIT_GLARE');
    expect(html).toContain('31.0 %');
    expect(html).toContain('270°');
    expect(html).toMatch(/Другие лица с этим номером документа<\/th><td>1</);
    expect(html).toContain('class="band none"');
  });

  it('says so when no portrait was found, and shows nothing for a verification', () => {
    const html = documentCard({ lang: 'en', t: DICTIONARY.en, staff: null, path: '/' }, file({ ...document, portrait: null }));
    expect(html).toContain('Portrait on the page</th><td>—');
    expect(documentCard({ lang: 'en', t: DICTIONARY.en, staff: null, path: '/' }, file(null))).toBe('');
  });
});
