import { describe, expect, it } from 'vitest';
import { formatterFor } from '../../../src/dashboard/format.js';
import { DICTIONARY, type DashboardLanguage } from '../../../src/dashboard/i18n.js';
import type { PageContext } from '../../../src/dashboard/layout.js';
import { casePage } from '../../../src/dashboard/pages/case.page.js';
import { verdictCard } from '../../../src/dashboard/pages/case-verdict.js';
import type { CaseFile } from '../../../src/domain/review/case.service.js';

// The gallery on the case page: where each reference came from, how the machine combined them, and the reviewer's
// "also keep this selfie as a reference" with what became of it, in each of the dashboard's languages.
const match = {
  similarity: 0.61, distance: 0.41, estimatedFar: null, metric: 'euclidean',
  threshold: { verifyMinSimilarity: 0.7, reviewMinSimilarity: 0.5 },
  comparedWith: [
    { templateId: 'a', source: 'document', enrolledAt: '2025-03-01T08:00:00Z', distance: 0.45, similarity: 0.55 },
    { templateId: 'b', source: 'enrollment', enrolledAt: '2025-03-01T08:00:00Z', distance: 0.4, similarity: 0.6 },
    { templateId: 'c', source: 'verification', enrolledAt: '2026-02-01T08:00:00Z', ageDays: 300, distance: 0.38, similarity: 0.62 },
  ],
  fusion: { rule: 'mean', gallerySize: 3, calibratedSize: 3, fusedDistance: 0.41, verifyMaxDistance: 0.4, reviewMaxDistance: 0.45 },
  model: { name: 'faceapi/recognition', version: '1', detector: 'ssd', backend: 'wasm' },
};
const STAFF = { userId: 'u1', username: 'dilnoza', displayName: 'Dilnoza', role: 'reviewer', csrfToken: 't' };
const ctx = (lang: DashboardLanguage, staff = true): PageContext =>
  ({ lang, t: DICTIONARY[lang], fmt: formatterFor(lang, 'Asia/Dushanbe'), staff: staff ? STAFF : null, path: '/' }) as PageContext;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function file(kind: 'enrollment' | 'verification', review: Record<string, unknown> | null = null): CaseFile {
  const view = {
    id: 'case-1', subjectId: 'PN-1', kind, status: 'completed', decision: review ? 'verified' : 'needs_review',
    machineDecision: review ? 'needs_review' : null, reasons: ['FACE_MATCH_UNCERTAIN'], findings: [], match, review,
  };
  return { view, images: [], history: [{ id: 'case-1', kind, createdAt: '2026-12-01T08:00:00Z', status: 'completed', decision: view.decision, reasons: [], review }], claimedBy: 'u1' } as unknown as CaseFile;
}

describe('case page: the reference gallery', () => {
  it('names each reference by its origin and states the fused distance, rule and gallery size in words', () => {
    const en = text(verdictCard(ctx('en'), file('verification')));
    expect(en).toContain('Passport portrait');
    expect(en).toContain('Selfie at registration');
    expect(en).toContain('Selfie from an earlier proof of life');
    expect(en).toContain('References compared: 3');
    expect(en).toContain('the average over all references');
    expect(en).toContain('Combined distance (lower is closer): 0.410');
    expect(text(verdictCard(ctx('ru'), file('verification')))).toContain('Селфи прошлого подтверждения жизни');
    expect(text(verdictCard(ctx('ru'), file('verification')))).toContain('Сравнено образцов: 3');
    expect(text(verdictCard(ctx('tg'), file('verification')))).toContain('Селфии тасдиқи қаблии зинда будан');
    expect(text(verdictCard(ctx('tg'), file('verification')))).toContain('миёна аз рӯи ҳамаи намунаҳо');
  });

  it('offers "also keep this selfie as a reference" with an approval of a proof of life only', () => {
    const html = casePage(ctx('en'), file('verification'), { claimLive: true });
    expect(html).toMatch(/<fieldset class="outcome-approve">.*name="keepAsReference".*<\/fieldset><fieldset class="outcome-reject">/s);
    expect(text(html)).toContain('Also keep this selfie as a reference for later checks');
    expect(casePage(ctx('en'), file('enrollment'), { claimLive: true })).not.toContain('keepAsReference');
    expect(text(casePage(ctx('tg'), file('verification'), { claimLive: true }))).toContain('Ин селфиро ҳамчун намуна');
  });

  it('shows on the decided case what became of the selfie: joined, or refused by the guard', () => {
    const review = { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', comment: '', by: 'u1', byName: 'Dilnoza', at: '2026-12-01T09:00:00Z' };
    const joined = text(casePage(ctx('en'), file('verification', { ...review, referenceApproval: 'joined' }), { claimLive: false }));
    expect(joined).toContain('Selfie as a reference kept: later checks compare with it too');
    const refused = text(casePage(ctx('ru'), file('verification', { ...review, referenceApproval: 'refused_by_guard' }), { claimLive: false }));
    expect(refused).toContain('Селфи как образец не сохранено: недостаточно похоже на фото при регистрации');
    expect(text(casePage(ctx('en'), file('verification', review), { claimLive: false }))).not.toContain('Selfie as a reference');
  });
});

describe('case page: a claim of one\'s own that lapsed', () => {
  it('is not shown as held, and the reviewer may still decide while nobody else has taken it', () => {
    const held = text(casePage(ctx('ru'), file('verification'), { claimLive: true }));
    expect(held).toContain(DICTIONARY.ru.claimedByYou);
    for (const lang of ['en', 'ru', 'tg'] as const) {
      const lapsed = casePage(ctx(lang), file('verification'), { claimLive: false });
      expect(text(lapsed)).toContain(DICTIONARY[lang].claimLapsedMine);
      expect(text(lapsed)).not.toContain(DICTIONARY[lang].claimedByYou);
      expect(lapsed).toContain('/decision');
    }
  });
});
