import { ConsentService } from '../../domain/consent/consent.service.js';
import type { Platform } from '../platform.js';
import type { RetentionModule } from './retention.module.js';

/** Consent (Art. 17, 11): records with their evidence, withdrawal; a withdrawal re-runs the subject's purge timers. */
export function createConsentModule(platform: Platform, retention: RetentionModule) {
  const { db, vault, audit, clock } = platform;
  return {
    consents: new ConsentService(db, vault, audit, clock, (subjectId) => void retention.timers.scheduleSubject(subjectId)),
  };
}

export type ConsentModule = ReturnType<typeof createConsentModule>;
