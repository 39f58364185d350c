import { auditRoutes } from '../../api/routes/audit.routes.js';
import { loadCalibration, type ModelCalibration } from '../../config/calibration.js';
import { AccessMonitor } from '../../domain/audit/access-monitor.js';
import { CaseService } from '../../domain/review/case.service.js';
import { ImageAccessService } from '../../domain/review/image-access.service.js';
import { ReviewService } from '../../domain/review/review.service.js';
import { metrics } from '../../shared/metrics.js';
import type { Platform } from '../platform.js';
import type { ConsentModule } from './consent.module.js';
import type { RetentionModule } from './retention.module.js';
import type { SubjectsModule } from './subjects.module.js';
import type { SubmissionsModule } from './submissions.module.js';

export interface ReviewModuleDeps {
  readonly consent: ConsentModule;
  readonly retention: RetentionModule;
  readonly submissions: SubmissionsModule;
  readonly subjects: SubjectsModule;
  /** After a reviewer's decision: the campaign member's state follows at once (the campaign tick would, later). */
  readonly onDecided: (submissionId: string) => Promise<void>;
}

/**
 * Review by staff: the queue of cases, claims and decisions, and every look at a face audited and watched; the audit
 * trail's routes (what was seen, and the images themselves, for auditors).
 */
export function createReviewModule(platform: Platform, deps: ReviewModuleDeps) {
  const { uow, vault, audit, clock, config, logger, retentionSettings } = platform;
  const monitor = new AccessMonitor({ audit, clock, settings: {
    maxViews: config.UNUSUAL_ACCESS_MAX_VIEWS, windowMs: config.UNUSUAL_ACCESS_WINDOW_MIN * 60_000,
  }, onAlert: (actor) => {
    metrics.unusualAccessAlerts.inc();
    logger.warn({ actor: actor.id, role: actor.role }, 'unusual access to biometric data');
  } });
  // Read once per model: the file only changes with a deploy, and a reference approval must not hit the disk.
  const calibrations = new Map<string, ModelCalibration>();
  const calibrationFor = (model: string): ModelCalibration => {
    let calibration = calibrations.get(model);
    if (!calibration) calibrations.set(model, calibration = loadCalibration(model));
    return calibration;
  };
  const review = new ReviewService({
    uow, audit, clock, retention: retentionSettings, timers: deps.retention.timers,
    settings: { claimTtlMs: config.REVIEW_CLAIM_MIN * 60_000, deleteImagesAfterReview: config.RETENTION_DELETE_IMAGES_AFTER_REVIEW },
    references: { vault, consents: deps.consent.consents, calibrationFor, maxRecent: config.GALLERY_MAX_RECENT },
    events: { decided: (event) => {
      logger.info({ submissionId: event.submissionId, outcome: event.outcome }, 'case reviewed');
      deps.onDecided(event.submissionId).catch((error: unknown) =>
        logger.warn({ err: { message: (error as Error).message } }, 'campaign state not updated; the campaign tick will'));
    } },
  });
  const images = new ImageAccessService({ uow, vault, audit, monitor });
  return {
    review,
    cases: new CaseService({ uow, submissions: deps.submissions.query }),
    images,
    routes: auditRoutes({ audit, subjects: deps.subjects.subjects, images }),
  };
}

export type ReviewModule = ReturnType<typeof createReviewModule>;
