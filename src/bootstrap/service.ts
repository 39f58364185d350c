import type { Config } from '../config/env.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { createCampaignModule } from './modules/campaign.module.js';
import { createModelUpgradeModule, type ModelUpgradeCore } from './modules/model-upgrade.module.js';
import { createAccessModule } from './modules/access.module.js';
import { createConsentModule, type ConsentModule } from './modules/consent.module.js';
import { createLivenessModule } from './modules/liveness.module.js';
import { createQualityModule } from './modules/quality.module.js';
import { createRetentionModule, type RetentionModule } from './modules/retention.module.js';
import { createReviewModule } from './modules/review.module.js';
import { createRightsModule } from './modules/rights.module.js';
import { createSubjectsModule } from './modules/subjects.module.js';
import { createSubmissionsModule } from './modules/submissions.module.js';
import { createPlatform, type Platform } from './platform.js';

/**
 * The composition root: the platform, then one feature module per area in the order their dependencies need.
 * Every role (api, worker, all) builds the same modules; what a role starts (routes, job handlers) is decided in
 * roles.ts. `close` releases everything in reverse order.
 */
export async function composeService(config: Config, logger: Logger, redisUrl: string, clock: Clock = systemClock) {
  const platform = await createPlatform(config, logger, redisUrl, clock);
  const subjects = createSubjectsModule(platform);
  const retention = createRetentionModule(platform, subjects);
  const liveness = createLivenessModule(platform, subjects);
  const consent = createConsentModule(platform, { retention, subjects, liveness });
  const quality = createQualityModule(platform);
  const access = createAccessModule(platform, { subjects, consent });
  const submissions = createSubmissionsModule(platform, { subjects, consent, liveness, retention, access });
  const rights = createRightsModule(platform, { subjects, consent, access });
  const campaigns = createCampaignModule(platform);
  const modelUpgrade = createModelUpgradeModule(modelUpgradeCore({ platform, consent, retention }));
  const review = createReviewModule(platform, {
    consent, retention, submissions, subjects, onDecided: async (submissionId) => void await campaigns.onSubmissionDecided(submissionId),
  });

  return {
    platform, retention, subjects, consent, rights, liveness, quality, submissions, access, review, campaigns, modelUpgrade,
    async close() {
      for (const close of [campaigns.close, modelUpgrade.close, quality.close, submissions.close, retention.close]) {
        await close().catch(() => undefined);
      }
      await platform.close();
    },
  };
}

/** The running service: its platform and feature modules. */
export type Service = Awaited<ReturnType<typeof composeService>>;

/** What the model upgrade module takes: the platform, and the consent and retention it re-extracts under. */
export function modelUpgradeCore(parts: { platform: Platform; consent: ConsentModule; retention: RetentionModule }): ModelUpgradeCore {
  return { ...parts.platform, retention: parts.platform.retentionSettings, consents: parts.consent.consents, timers: parts.retention.timers };
}
