import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACCESS_REPORT_STYLE_SOURCE, renderAccessReport } from '../../../src/shared/views/access-report.view.js';
import { REPORT_COLUMNS, REPORT_TEXT } from '../../../src/domain/rights/access-report.i18n.js';
import type { AccessReport } from '../../../src/domain/rights/access-report.service.js';

const LANGUAGES = ['tg', 'ru', 'en'] as const;

/** A report whose tables, together, use every column the report knows. */
function reportIn(language: (typeof LANGUAGES)[number]): AccessReport {
  const text = REPORT_TEXT[language];
  const row = Object.fromEntries(REPORT_COLUMNS.filter((c) => !['at', 'fields', 'reason', 'actor', 'role', 'action'].includes(c)).map((c) => [c, 'x']));
  return {
    subjectId: 'PN-1', status: 'active', language, generatedAt: '2026-12-01T00:00:00.000Z', text,
    categories: (['identity', 'images', 'frames', 'templates', 'results', 'consents'] as const).map((category) => ({
      category, title: text.categories[category], legalBasis: text.basis[category], purpose: text.purpose, term: text.terms[category], items: [row],
    })),
    corrections: [{ at: '2026-12-01T00:00:00.000Z', fields: ['surname'], reason: 'typo' }],
    accessLog: [{ at: '2026-12-01T00:00:00.000Z', actor: 'staff:1', role: 'reviewer', action: 'image.viewed', purpose: 'review' }],
    transfers: [],
  };
}

describe('access report words', () => {
  it('names every table column in every language, in that language', () => {
    for (const lang of LANGUAGES) {
      for (const column of REPORT_COLUMNS) {
        const name = REPORT_TEXT[lang].columns[column];
        expect(name, `${lang}.${column}`).toBeTruthy();
        expect(name, `${lang}.${column}`).not.toBe(column);
        if (lang !== 'en') expect(/[\u0400-\u04FF]/.test(name), `${lang}.${column} is Cyrillic`).toBe(true);
      }
    }
  });

  it('names the liveness frames category, its legal basis and term in every language', () => {
    for (const lang of LANGUAGES) {
      const t = REPORT_TEXT[lang];
      expect([t.categories.frames, t.basis.frames, t.terms.frames].every(Boolean), lang).toBe(true);
    }
  });

  it('prints translated headings, never a camelCase key', () => {
    for (const lang of ['ru', 'tg'] as const) {
      const html = renderAccessReport(reportIn(lang));
      const headings = [...html.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]!);
      expect(headings.length).toBeGreaterThan(REPORT_COLUMNS.length);
      for (const h of headings) expect(h, lang).not.toMatch(/^[a-z]+[A-Z]|^[a-z]+$/);
      expect(headings).toContain(REPORT_TEXT[lang].columns.pensionNumber);
      expect(headings).toContain(REPORT_TEXT[lang].columns.deleteAt);
    }
  });

  it('carries the hash of exactly the <style> it prints, for the page\'s CSP', () => {
    const html = renderAccessReport(reportIn('tg'));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(ACCESS_REPORT_STYLE_SOURCE).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });
});

describe('access report phones (Art. 22: who may act in the subject\'s name)', () => {
  const phone = { label: 'daughter', status: 'revoked' as const, createdAt: '2026-11-01', lastUsedAt: '2026-11-20', expiresAt: '2028-11-01' };

  it('lists each linked phone with its state and last use, in the subject\'s words', () => {
    const html = renderAccessReport({ ...reportIn('ru'), devices: [phone] });
    expect(html).toContain(REPORT_TEXT.ru.devices);
    expect(html).toContain('<td>daughter</td><td>отвязан</td>');
    expect(html).toContain('<th>Последнее использование</th>');
    expect(renderAccessReport({ ...reportIn('tg'), devices: [] })).toContain(REPORT_TEXT.tg.noDevices);
  });

  it('says nothing about phones where the caller did not look them up', () => {
    expect(renderAccessReport(reportIn('en'))).not.toContain(REPORT_TEXT.en.devices);
  });
});
