import { livenessRoutes } from '../../api/routes/liveness.routes.js';
import { PURPOSE, SYSTEM_WORKER } from '../../domain/audit/audit-entry.js';
import { AttemptLimiter } from '../../domain/liveness/attempt-limiter.js';
import { LivenessChallengeService } from '../../domain/liveness/challenge.service.js';
import { DEFAULT_CHALLENGE_POLICY, type ChallengePolicy } from '../../domain/liveness/challenge.js';
import type { Platform } from '../platform.js';
import type { SubjectsModule } from './subjects.module.js';

/** Liveness: challenges issued to the phone, and the failed-attempt limit with its audited lockout. */
export function createLivenessModule(platform: Platform, subjects: SubjectsModule) {
  const { uow, audit, clock, config } = platform;
  const policy: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, ttlMs: config.LIVENESS_CHALLENGE_TTL_SECONDS * 1000 };
  const attempts = new AttemptLimiter({ uow, clock, policy: {
    maxFailures: config.LIVENESS_MAX_FAILURES, windowMs: config.LIVENESS_FAILURE_WINDOW_MIN * 60_000, lockoutMs: config.LIVENESS_LOCKOUT_MIN * 60_000,
  }, onLocked: async (lockout, reasons) => {
    await audit.record({
      actor: SYSTEM_WORKER, action: 'liveness.locked-out', purpose: PURPOSE, subjectId: lockout.subjectId, targetType: 'subject',
      targetId: lockout.subjectId, outcome: 'alert', details: { lockedUntil: lockout.lockedUntil.toISOString(), failures: lockout.failures, reasons: [...reasons] },
    });
  } });
  const challenges = new LivenessChallengeService({
    uow, subjects: subjects.subjects, limiter: attempts, clock, policy,
    events: { issued: async (c, actor) => {
      await audit.record({
        actor, action: 'liveness.challenge-issued', purpose: PURPOSE, subjectId: c.subjectId, targetType: 'liveness_challenge',
        targetId: c.id, outcome: 'success', details: { actions: [...c.actions] },
      });
    } },
  });
  return { policy, attempts, challenges, routes: livenessRoutes({ challenges, policy }) };
}

/** The frames a challenge answer may carry: the policy's count, the configured size. */
export function frameLimitsOf(platform: Platform, liveness: { policy: ChallengePolicy }) {
  return { ...liveness.policy, maxFrameBytes: platform.config.UPLOAD_FRAME_MAX_BYTES };
}

export type LivenessModule = ReturnType<typeof createLivenessModule>;
