import type { Migration } from './migration.js';
import { initialSchema } from './001-initial-schema.js';
import { consentAndAudit } from './002-consent-and-audit.js';
import { retentionEnforcement } from './003-retention-enforcement.js';
import { reviewAndStaff } from './004-review-and-staff.js';
import { reverificationCampaigns } from './005-campaigns.js';
import { liveness } from './006-liveness.js';
import { modelUpgrade } from './007-model-upgrade.js';
import { documentRegistry } from './008-document-registry.js';
import { authFailureCounts } from './009-auth-failure-counts.js';
import { deviceCredentials } from './010-device-credentials.js';
import { referenceGallery } from './011-reference-gallery.js';
import { canonicalSubjectRefs } from './012-canonical-subject-refs.js';
import { faceConfirmedConsent } from './013-face-confirmed-consent.js';
import { faceConfirmedConsentRecording } from './014-face-confirmed-consent-recording.js';

/** Every migration, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [initialSchema, consentAndAudit, retentionEnforcement, reviewAndStaff, reverificationCampaigns, liveness, modelUpgrade, documentRegistry, authFailureCounts, deviceCredentials, referenceGallery, canonicalSubjectRefs, faceConfirmedConsent, faceConfirmedConsentRecording];
