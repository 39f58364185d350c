import type { ModelCalibration } from '../config/calibration.js';
import { DEFAULT_CHALLENGE_RULES } from '../domain/liveness/challenge-verification.js';
import { LivenessAssessor } from '../domain/liveness/liveness-assessor.js';
import { PAD_CALIBRATION } from '../domain/liveness/pad-calibration.js';
import { ReplayChecker } from '../domain/liveness/replay-check.js';
import { createHumanPadModel } from '../engine/pad/human-pad.model.js';
import type { PadModel } from '../engine/pad/pad-model.js';
import type { Service } from './service.js';

/**
 * The worker's liveness checks: quality gate, passive PAD, challenge, replay and retry limit, with the settings of
 * this deployment. Frames of a challenge show turned heads, so "the same person" across them uses the face model's
 * review threshold rather than its verify threshold.
 */
export function createLivenessAssessor(svc: Service, pad: Pick<PadModel, 'score'>, calibration: ModelCalibration): LivenessAssessor {
  const { config } = svc.platform;
  return new LivenessAssessor({
    uow: svc.platform.uow, pad, calibration: PAD_CALIBRATION, quality: svc.quality.thresholds,
    challenge: {
      ...DEFAULT_CHALLENGE_RULES, minFrames: svc.liveness.policy.minFrames, maxFrames: svc.liveness.policy.maxFrames,
      samePersonMaxDistance: calibration.reviewMaxDistance,
    },
    decision: { requireChallenge: config.LIVENESS_REQUIRE_CHALLENGE, requirePassive: config.LIVENESS_REQUIRE_PASSIVE },
    limiter: svc.liveness.attempts, replay: new ReplayChecker({ uow: svc.platform.uow }), now: () => svc.platform.clock.now(),
  });
}

/** The passive attack models (Human's antispoof and liveness), checksummed and loaded like the face models. */
export function loadPadModel(svc: Service): Promise<PadModel> {
  return createHumanPadModel({ backend: svc.platform.config.ENGINE_BACKEND });
}
