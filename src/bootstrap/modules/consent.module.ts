import { consentRoutes } from '../../api/routes/consent.routes.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import type { IntakeService } from '../../domain/submissions/intake.service.js';
import type { StoragePorts } from '../../storage/unit-of-work.js';
import { ConsentConfirmationService } from '../../domain/consent/consent-confirmation.service.js';
import { ConsentService } from '../../domain/consent/consent.service.js';
import type { Platform } from '../platform.js';
import { frameLimitsOf, type LivenessModule } from './liveness.module.js';
import type { RetentionModule } from './retention.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** Consent (Art. 17, 11): records with their evidence, withdrawal; a withdrawal re-runs the subject's purge timers. */
export function createConsentModule(platform: Platform, deps: { retention: RetentionModule; subjects: SubjectsModule; liveness: LivenessModule }) {
  const { retention, subjects } = deps;
  const { uow, vault, audit, clock } = platform;
  const consents = new ConsentService({
    uow, vault, audit, clock, onBiometricsScheduled: (subjectId) => void retention.timers.scheduleSubject(subjectId),
  });
  /** A phone's consent confirmed by a selfie: pending its enrolment, or a consent-record submission once enrolled. */
  const confirmations = new ConsentConfirmationService({ uow, audit, clock, subjects: subjects.subjects, consents });
  return {
    consents,
    confirmations,
    /**
     * The consent routes. A phone's selfie-confirmed consent or withdrawal is a submission, so they take the intake and
     * the device credentials, both built after the consent ledger they need.
     */
    routes: (late: { intake: IntakeService<StoragePorts>; devices: DeviceCredentialService }) => consentRoutes({
      consents, confirmations, subjects: subjects.subjects, intake: late.intake, devices: late.devices,
      normalizeImage: platform.normalizeImage, frameLimits: frameLimitsOf(platform, deps.liveness),
    }),
  };
}

export type ConsentModule = ReturnType<typeof createConsentModule>;
