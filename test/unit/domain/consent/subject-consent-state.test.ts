import { describe, expect, it } from 'vitest';
import { subjectConsentState, type Consent, type RecordingConfirmation } from '../../../../src/domain/consent/consent.js';

const consent = (status: Consent['status'], confirmation: RecordingConfirmation | null) => ({ status, confirmation }) as Consent;
const PENDING: RecordingConfirmation = { method: 'enrolment-pending' };
const SELFIE: RecordingConfirmation = { method: 'selfie', submissionId: 's-1', decision: 'verified', score: 0.71 };
const OFFICE: RecordingConfirmation = { method: 'identity-check', identityCheck: 'passport-seen' };

describe("the subject's consent state", () => {
  it("shows a phone's first consent as awaiting the enrolment's face check, not as active", () => {
    expect(subjectConsentState([consent('active', PENDING)])).toBe('pending-confirmation');
  });

  it('shows a consent confirmed by a selfie or at the office as active, also beside a pending one', () => {
    expect(subjectConsentState([consent('active', SELFIE)])).toBe('active');
    expect(subjectConsentState([consent('active', OFFICE), consent('active', PENDING)])).toBe('active');
    // Recorded before recordings were confirmed: it was in force as active and stays so.
    expect(subjectConsentState([consent('active', null)])).toBe('active');
  });

  it('shows a consent ended by a refused face as withdrawn, and a pending one recorded again as pending', () => {
    const refused = consent('withdrawn', { ...SELFIE, decision: 'rejected' });
    expect(subjectConsentState([refused])).toBe('withdrawn');
    expect(subjectConsentState([refused, consent('active', PENDING)])).toBe('pending-confirmation');
    expect(subjectConsentState([])).toBe('none');
  });
});
