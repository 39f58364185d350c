import { describe, expect, it } from 'vitest';
import { subjectRefParam } from '../../../src/api/schemas.js';
import { canonicalSubjectRef } from '../../../src/domain/subjects/subject.js';

describe('canonicalSubjectRef: one spelling per pension number', () => {
  it('folds letter case, surrounding whitespace and full-width forms to one id', () => {
    for (const spelling of ['pn-id10', 'PN-ID10', 'Pn-Id10', '  pn-id10\t', 'ＰＮ－ＩＤ１０', '\u3000pn-id10']) {
      expect(canonicalSubjectRef(spelling), JSON.stringify(spelling)).toBe('PN-ID10');
    }
  });

  it('never turns another script\'s letter into a Latin one: such an id stays as sent, for the pattern to refuse', () => {
    expect(canonicalSubjectRef('pn-ı10')).toBe('pn-ı10');
    expect(canonicalSubjectRef('РN-10')).toBe('РN-10'); // Cyrillic Р
    expect(subjectRefParam.safeParse({ subjectId: 'pn-ı10' }).success).toBe(false);
  });

  it('is applied by the API schema before the pattern, so any spelling reaches the same subject', () => {
    expect(subjectRefParam.parse({ subjectId: ' pn-id10 ' })).toEqual({ subjectId: 'PN-ID10' });
    expect(subjectRefParam.safeParse({ subjectId: 'pn id10' }).success).toBe(false);
    expect(subjectRefParam.safeParse({ subjectId: 'pn' }).success).toBe(false);
  });
});
