import { describe, expect, it } from 'vitest';
import { formatterFor } from '../../../src/dashboard/format.js';
import { DICTIONARY } from '../../../src/dashboard/i18n.js';
import { CHALLENGE_REASONS } from '../../../src/domain/liveness/challenge-verification.js';
import { QUALITY_CODES } from '../../../src/domain/quality/quality-messages.js';
import { REVIEW_REASONS } from '../../../src/domain/review/review.service.js';
import { REASON_PHRASES } from '../../../src/dashboard/terms/reasons.js';
import { AUDIT_ACTION_PHRASES } from '../../../src/dashboard/terms/audit-actions.js';

describe('dashboard formatter', () => {
  it('counts with the language\'s plural rules', () => {
    const ru = formatterFor('ru', 'Asia/Dushanbe');
    expect(ru.count(1, DICTIONARY.ru.faceCount)).toBe('1 лицо');
    expect(ru.count(3, DICTIONARY.ru.faceCount)).toBe('3 лица');
    expect(ru.count(5, DICTIONARY.ru.faceCount)).toBe('5 лиц');
    expect(ru.count(21, DICTIONARY.ru.caseCount)).toBe('21 дело ожидает');
    expect(formatterFor('en', 'Asia/Dushanbe').count(1, DICTIONARY.en.caseCount)).toBe('1 case waiting');
  });

  it('writes numbers as the reader does and times in the office zone, never as ISO strings', () => {
    const ru = formatterFor('ru', 'Asia/Dushanbe');
    expect(ru.number(103306)).toMatch(/^103\s306$/);
    expect(formatterFor('en', 'Asia/Dushanbe').number(103306)).toBe('103,306');
    expect(ru.number(0.5, 2)).toBe('0,50');
    expect(ru.dateTime('2026-12-06T02:53:00Z')).toBe('6 дек. 2026 г., 07:53');
    expect(ru.zoneLabel).toBe('Душанбе, GMT+5');
    expect(formatterFor('en', 'Europe/Moscow').dateTime(new Date('2026-12-06T02:53:00Z'))).toBe('Dec 6, 2026, 05:53');
    expect(formatterFor('tg', 'Asia/Dushanbe').date('1956-03-08')).not.toContain('1956-03-08');
  });

  it('puts every reason the services produce, and every review reason, into words in all three languages', () => {
    const codes = [...CHALLENGE_REASONS, ...QUALITY_CODES, ...Object.values(REVIEW_REASONS).flat(),
      'FACE_MATCH', 'FACE_MATCH_UNCERTAIN', 'FACE_MISMATCH', 'MRZ_NOT_FOUND', 'PAD_ATTACK_SUSPECTED', 'REPLAY_IMAGE_REUSED', 'DOCUMENT_IMAGE_REUSED'];
    for (const code of codes) {
      const phrase = REASON_PHRASES[code];
      expect(phrase, code).toBeDefined();
      for (const words of phrase!) expect(words).not.toMatch(/[A-Z]{2,}_/);
    }
    const tg = formatterFor('tg', 'Asia/Dushanbe');
    expect(tg.reason('REVIEW_SAME_PERSON_CONFIRMED')).toContain('Ҳамон шахс');
    expect(tg.reason('SOMETHING_NEW')).toBe('<span class="reason" title="SOMETHING_NEW">Мушоҳидаи дигар</span>');
    expect(tg.term('decision', 'needs_review')).toBe('<span title="needs_review">Қарори одам лозим аст</span>');
    expect(Object.keys(AUDIT_ACTION_PHRASES)).toContain('review.decided');
  });
});
