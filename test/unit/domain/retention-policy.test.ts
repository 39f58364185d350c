import { describe, expect, it } from 'vitest';
import { retentionRules, TEMPLATE_CONDITION, timerFor } from '../../../src/domain/retention/retention-policy.js';

const rules = retentionRules({ imagesDays: 30, resultsDays: 1825 });
const decidedAt = new Date('2026-01-10T12:00:00Z');

describe('retention timers', () => {
  it('deletes selfie and document images 30 days after the decision', () => {
    expect(timerFor(rules.selfie_image, decidedAt).deleteAt?.toISOString()).toBe('2026-02-09T12:00:00.000Z');
    expect(timerFor(rules.document_image, decidedAt).policy).toBe('images-30d-after-decision');
  });

  it('keeps reference templates until consent is withdrawn or the subject is closed, with no date', () => {
    expect(timerFor(rules.reference_template, decidedAt)).toEqual({
      policy: 'template-until-consent-withdrawn', deleteAt: null, deleteCondition: TEMPLATE_CONDITION,
    });
  });

  it('keeps results five years', () => {
    expect(timerFor(rules.result, decidedAt).deleteAt?.toISOString()).toBe('2031-01-09T12:00:00.000Z');
  });

  it('names a legal basis for every class of data', () => {
    for (const rule of Object.values(rules)) expect(rule.legalBasis).toMatch(/Art\. \d+/);
  });
});
