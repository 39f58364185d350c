import { describe, expect, it } from 'vitest';
import { decideWithLiveness, isFailedAttempt, type DecisionInputs } from '../../../src/domain/liveness/liveness-decision.js';
import type { QualityReport } from '../../../src/domain/quality/quality-assessment.js';
import { QUALITY_MESSAGES } from '../../../src/domain/quality/quality-messages.js';
import type { LivenessAssessment } from '../../../src/domain/liveness/passive-pad.js';
import type { ChallengeVerification } from '../../../src/domain/liveness/challenge-verification.js';

const goodQuality: QualityReport = { pass: true, findings: [], components: null };
const darkQuality: QualityReport = {
  pass: false, components: null,
  findings: [{ code: 'QUALITY_TOO_DARK', severity: 'fail', message: QUALITY_MESSAGES.QUALITY_TOO_DARK, value: 30, threshold: 60 }],
};
const live = { score: 0.9, verdict: 'live', pass: true, reasons: [] } as unknown as LivenessAssessment;
const unsure = { score: 0.1, verdict: 'uncertain', pass: false, reasons: ['PAD_UNCERTAIN'] } as unknown as LivenessAssessment;
const challenge = (reasons: string[]) => ({ pass: reasons.length === 0, reasons, actions: [], frames: [], details: {} }) as unknown as ChallengeVerification;
const match = { decision: 'verified' as const, reasons: ['FACE_MATCH'] };
const policy = { requireChallenge: false, requirePassive: true };
const decide = (input: Partial<DecisionInputs>, p = policy) =>
  decideWithLiveness({ match, quality: goodQuality, liveness: live, challenge: null, ...input }, p);

describe('quality and liveness join the match in the decision', () => {
  it('verifies only when every check passed', () => {
    expect(decide({})).toEqual({ decision: 'verified', reasons: ['FACE_MATCH'] });
    expect(decide({ challenge: challenge([]) })).toEqual({ decision: 'verified', reasons: ['FACE_MATCH'] });
  });

  it('a fixable failure is rejected with the codes the app shows first', () => {
    expect(decide({ quality: darkQuality })).toEqual({ decision: 'rejected', reasons: ['QUALITY_TOO_DARK', 'FACE_MATCH'] });
    expect(decide({ challenge: challenge(['CHALLENGE_ACTION_ORDER']) }).decision).toBe('rejected');
    expect(decide({ challenge: challenge(['CHALLENGE_NONCE_EXPIRED']) }).reasons[0]).toBe('CHALLENGE_NONCE_EXPIRED');
  });

  it('signs of an attack go to a person even when the photo also needs retaking', () => {
    expect(decide({ quality: darkQuality, challenge: challenge(['CHALLENGE_PERSON_CHANGED']) })).toMatchObject({
      decision: 'needs_review', reasons: ['CHALLENGE_PERSON_CHANGED', 'QUALITY_TOO_DARK', 'FACE_MATCH'],
    });
    for (const code of ['CHALLENGE_NONCE_REUSED', 'CHALLENGE_FRAME_REPEATED', 'CHALLENGE_SELFIE_MISMATCH', 'CHALLENGE_WRONG_SUBJECT']) {
      expect(decide({ challenge: challenge([code]) }).decision, code).toBe('needs_review');
    }
    expect(decide({ replay: ['REPLAY_IMAGE_REUSED'] }).decision).toBe('needs_review');
    expect(decide({ replay: ['REPLAY_FRAME_SET_REUSED'] }).decision).toBe('needs_review');
  });

  it('doubt from the passive check is review, never a silent pass', () => {
    expect(decide({ liveness: unsure })).toEqual({ decision: 'needs_review', reasons: ['PAD_UNCERTAIN', 'FACE_MATCH'] });
    expect(decide({ liveness: null })).toEqual({ decision: 'needs_review', reasons: ['LIVENESS_NOT_ASSESSED', 'FACE_MATCH'] });
  });

  it('a required challenge that is missing is a fixable rejection', () => {
    expect(decide({}, { requireChallenge: true, requirePassive: true })).toMatchObject({ decision: 'rejected', reasons: ['LIVENESS_CHALLENGE_REQUIRED', 'FACE_MATCH'] });
  });

  it('another person stays rejected; the locked-out subject goes to review instead', () => {
    expect(decide({ match: { decision: 'rejected', reasons: ['FACE_MISMATCH'] }, liveness: unsure })).toEqual({
      decision: 'rejected', reasons: ['FACE_MISMATCH', 'PAD_UNCERTAIN'],
    });
    expect(decide({ lockedOut: true })).toMatchObject({ decision: 'needs_review', reasons: ['ATTEMPTS_LOCKED_OUT', 'FACE_MATCH'] });
  });

  it('keeps the match\'s own review band and selfie rejections', () => {
    expect(decide({ match: { decision: 'needs_review', reasons: ['FACE_MATCH_UNCERTAIN'] } }).decision).toBe('needs_review');
    expect(decide({ match: { decision: 'rejected', reasons: ['SELFIE_NO_FACE'] }, liveness: null })).toMatchObject({
      decision: 'rejected', reasons: ['SELFIE_NO_FACE'],
    });
  });

  it('counts every undecided or refused attempt towards the retry limit, except the lockout\'s own', () => {
    expect(isFailedAttempt('rejected', ['QUALITY_TOO_DARK'])).toBe(true);
    expect(isFailedAttempt('needs_review', ['PAD_UNCERTAIN'])).toBe(true);
    expect(isFailedAttempt('verified', ['FACE_MATCH'])).toBe(false);
    expect(isFailedAttempt('needs_review', ['ATTEMPTS_LOCKED_OUT'])).toBe(false);
  });
});
