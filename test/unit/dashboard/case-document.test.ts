import { describe, expect, it } from 'vitest';
import { formatterFor } from '../../../src/dashboard/format.js';
import { DICTIONARY, type DashboardLanguage } from '../../../src/dashboard/i18n.js';
import type { PageContext } from '../../../src/dashboard/layout.js';
import { documentCard } from '../../../src/dashboard/pages/case-document.js';
import type { CaseFile } from '../../../src/domain/review/case.service.js';

const document = {
  documentType: 'tj_passport', mrzFound: true, mrzFormat: 'TD3', checkDigitsValid: true, confidence: 0.93, fieldsVerified: false,
  fields: { number: 'mismatch', surname: 'match', givenNames: 'match', dateOfBirth: 'match', expiryDate: 'unverified' },
  expired: false, rotationApplied: 270, reasons: ['DOCUMENT_NUMBER_ENROLLED_ELSEWHERE'], needsReview: true,
  portrait: {
    rotationApplied: 270, box: { x: 10, y: 20, width: 150, height: 160 }, score: 0.99, interEyePx: 22.4, faceHeightPx: 160,
    sharpness: 0.02, luminanceMean: 120, contrast: 30, glare: 0.31, dark: 0, findings: ['PORTRAIT_LOW_RESOLUTION', 'PORTRAIT_GLARE'], grade: 'poor',
  },
  elsewhere: { numberHolders: 1, imageMatches: 0 },
} as const;
const passport = { documentType: 'tj_passport', number: 'A1234567', surname: 'Karimova', givenNames: 'Dilnoza', dateOfBirth: '1956-03-08', expiryDate: '2031-01-20' };
const file = (doc: unknown) => ({ view: { document: doc } }) as unknown as CaseFile;
const ctx = (lang: DashboardLanguage): PageContext => ({ lang, t: DICTIONARY[lang], fmt: formatterFor(lang, 'Asia/Dushanbe'), staff: null, path: '/' });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('case page: identity document card', () => {
  it('shows how much the portrait is worth, in words and the reader\'s number format', () => {
    const html = documentCard(ctx('ru'), file(document), passport);
    expect(html).toContain('Портрет на странице');
    expect(html).toContain('<strong>22</strong>');
    expect(text(html)).toContain('Блики на портрете');
    expect(html).toContain('title="PORTRAIT_GLARE"');
    expect(text(html)).toContain('31,0 %');
    expect(html).toContain('270°');
    expect(html).toMatch(/Другие лица с этим номером документа<\/th><td>1</);
    expect(html).toContain('class="band none"');
    expect(text(html)).toContain('Паспорт гражданина Республики Таджикистан');
  });

  it('sets the typed fields against the machine-readable lines, field by field, mismatches marked', () => {
    const html = documentCard(ctx('tg'), file(document), passport);
    expect(html).toMatch(/<tr class="field-mismatch"><th scope="row"><span title="number">Рақами ҳуҷҷат<\/span><\/th><td[^>]*>A1234567<\/td>/);
    expect(text(html)).toContain('мувофиқ нест');
    expect(html).toContain('class="field-match"');
    expect(text(html)).toMatch(/08 Мар 1956|8 мар/i);
  });

  it('says "not found" when the machine-readable lines are missing, and nothing for a verification', () => {
    const html = documentCard(ctx('en'), file({ ...document, mrzFound: false, mrzFormat: null, portrait: null }));
    expect(text(html)).toContain('Machine-readable lines Not found on the photo');
    expect(html).toContain('Portrait on the page</th><td>—');
    expect(documentCard(ctx('en'), file(null))).toBe('');
  });
});
