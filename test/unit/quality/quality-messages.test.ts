import { describe, expect, it } from 'vitest';
import { LANGUAGES, pickLanguage, QUALITY_CODES, QUALITY_MESSAGES } from '../../../src/domain/quality/quality-messages.js';
import { ACTION_INSTRUCTIONS, CHALLENGE_ACTIONS } from '../../../src/domain/liveness/challenge.js';
import { CHALLENGE_REASONS } from '../../../src/domain/liveness/challenge-verification.js';
import { LIVENESS_MESSAGES } from '../../../src/domain/liveness/liveness-messages.js';

describe('messages an elderly user can act on, in Tajik, Russian and English', () => {
  it('has every quality code, every challenge reason and every action in all three languages', () => {
    const all = [
      ...QUALITY_CODES.map((c) => QUALITY_MESSAGES[c]),
      ...CHALLENGE_REASONS.map((c) => LIVENESS_MESSAGES[c]),
      ...CHALLENGE_ACTIONS.map((a) => ACTION_INSTRUCTIONS[a]),
    ];
    for (const message of all) {
      expect(message).toBeDefined();
      for (const language of LANGUAGES) expect(message![language].length, JSON.stringify(message)).toBeGreaterThan(10);
    }
    // Tajik texts use the Tajik letters, Russian ones do not.
    expect(QUALITY_MESSAGES.QUALITY_TOO_DARK.tg).toMatch(/[ӣӯҳқғҷ]/);
    expect(QUALITY_MESSAGES.QUALITY_TOO_DARK.ru).not.toMatch(/[ӣӯҳқғҷ]/);
  });

  it('picks the language from Accept-Language, by weight, with Tajik as the default', () => {
    expect(pickLanguage(undefined)).toBe('tg');
    expect(pickLanguage('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(pickLanguage('de-DE, en;q=0.5, ru;q=0.4')).toBe('en');
    expect(pickLanguage('en;q=0.2, tg;q=0.9')).toBe('tg');
    expect(pickLanguage('fr, *;q=0.1')).toBe('tg');
    expect(pickLanguage('ru;q=0, en')).toBe('en');
  });
});
