import type { Queryable } from '../database/database.js';
import { SqlApiKeyRepository } from './api-key.repository.js';
import { SqlAuditLogRepository } from './audit.repository.js';
import { SqlAuthFailureRepository } from './auth-failure.repository.js';
import { SqlConsentRepository } from './consent.repository.js';
import { SqlDeviceCredentialRepository } from './device-credential.repository.js';
import { SqlDocumentRegistryRepository } from './document-registry.repository.js';
import { SqlIdempotencyRepository } from './idempotency.repository.js';
import { SqlImageFingerprintRepository } from './image-fingerprint.repository.js';
import { SqlLivenessAttemptRepository } from './liveness-attempt.repository.js';
import { SqlLivenessChallengeRepository } from './liveness-challenge.repository.js';
import { SqlLegalHoldRepository } from './legal-hold.repository.js';
import { SqlModelUpgradeRepository } from './model-upgrade.repository.js';
import { SqlReviewRepository } from './review.repository.js';
import { SqlStaffRepository } from './staff.repository.js';
import { SqlStoredItemRepository } from './stored-item.repository.js';
import { SubjectKeyRepository } from './subject-key.repository.js';
import { SystemKeyRepository } from './system-key.repository.js';
import { SqlSubjectRepository } from './subject.repository.js';
import { SqlSubmissionRepository } from './submission.repository.js';
import { SqlTemplateRepository } from './template.repository.js';

/** Every repository over one connection or transaction, so a unit of work can span several. */
export function createRepositories(db: Queryable) {
  return {
    apiKeys: new SqlApiKeyRepository(db),
    audit: new SqlAuditLogRepository(db),
    authFailures: new SqlAuthFailureRepository(db),
    consents: new SqlConsentRepository(db),
    idempotency: new SqlIdempotencyRepository(db),
    holds: new SqlLegalHoldRepository(db),
    items: new SqlStoredItemRepository(db),
    modelUpgrades: new SqlModelUpgradeRepository(db),
    reviews: new SqlReviewRepository(db),
    staff: new SqlStaffRepository(db),
    subjectKeys: new SubjectKeyRepository(db),
    systemKeys: new SystemKeyRepository(db),
    subjects: new SqlSubjectRepository(db),
    submissions: new SqlSubmissionRepository(db),
    templates: new SqlTemplateRepository(db),
    livenessChallenges: new SqlLivenessChallengeRepository(db),
    livenessAttempts: new SqlLivenessAttemptRepository(db),
    fingerprints: new SqlImageFingerprintRepository(db),
    documentRegistry: new SqlDocumentRegistryRepository(db),
    devices: new SqlDeviceCredentialRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
