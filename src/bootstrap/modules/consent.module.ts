import { ConsentConfirmationService } from '../../domain/consent/consent-confirmation.service.js';
import { ConsentService } from '../../domain/consent/consent.service.js';
import type { Platform } from '../platform.js';
import type { RetentionModule } from './retention.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** Consent (Art. 17, 11): records with their evidence, withdrawal; a withdrawal re-runs the subject's purge timers. */
export function createConsentModule(platform: Platform, retention: RetentionModule, subjects: SubjectsModule) {
  const { uow, vault, audit, clock } = platform;
  const consents = new ConsentService({
    uow, vault, audit, clock, onBiometricsScheduled: (subjectId) => void retention.timers.scheduleSubject(subjectId),
  });
  return {
    consents,
    /** A phone's consent confirmed by a selfie: pending its enrolment, or a consent-record submission once enrolled. */
    confirmations: new ConsentConfirmationService({ uow, audit, clock, subjects: subjects.subjects, consents }),
  };
}

export type ConsentModule = ReturnType<typeof createConsentModule>;
