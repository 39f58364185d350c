import path from 'node:path';
import { storageUnitOfWork } from '../storage/unit-of-work.js';
import { loadCalibration } from '../config/calibration.js';
import type { Config } from '../config/env.js';
import { ApiKeyService } from '../domain/access/api-key.service.js';
import { AuditService } from '../domain/audit/audit.service.js';
import { AccessMonitor } from '../domain/audit/access-monitor.js';
import { AuthFailureMonitor } from '../domain/audit/auth-failure-monitor.js';
import { ConsentService } from '../domain/consent/consent.service.js';
import { DeviceCredentialService } from '../domain/devices/device-credential.service.js';
import { SubjectAccessPolicy } from '../domain/devices/subject-access.service.js';
import { ImageAccessService } from '../domain/review/image-access.service.js';
import { CaseService } from '../domain/review/case.service.js';
import { ReviewService } from '../domain/review/review.service.js';
import { StaffAuthService } from '../domain/staff/staff-auth.service.js';
import { AccessReportService } from '../domain/rights/access-report.service.js';
import { ErasureService } from '../domain/rights/erasure.service.js';
import { ErasureLedger } from '../storage/erasure-ledger.js';
import { metrics } from '../shared/metrics.js';
import { createCampaignModule } from './campaign.module.js';
import { createModelUpgradeModule } from './model-upgrade.module.js';
import { PURPOSE, SYSTEM_WORKER } from '../domain/audit/audit-entry.js';
import { AttemptLimiter } from '../domain/liveness/attempt-limiter.js';
import { LivenessChallengeService } from '../domain/liveness/challenge.service.js';
import { DEFAULT_CHALLENGE_POLICY, type ChallengePolicy } from '../domain/liveness/challenge.js';
import { qualityThresholds } from '../domain/quality/quality-thresholds.js';
import { QualityThreadPool } from './quality-threads.js';
import type { RetentionSettings } from '../domain/retention/retention-policy.js';
import { IntakeService } from '../domain/submissions/intake.service.js';
import { SubmissionQueryService } from '../domain/submissions/submission-query.service.js';
import { SubjectService } from '../domain/subjects/subject.service.js';
import { createRedis } from '../queue/connection.js';
import { RetentionProducer } from '../queue/retention.producer.js';
import { SubmissionProducer } from '../queue/submission.producer.js';
import { RedisKeyFailureCounter } from '../queue/key-failure.counter.js';
import { AuthFailureRepository } from '../storage/repositories/auth-failure.repository.js';
import { LegalHoldService } from '../domain/retention/legal-hold.service.js';
import { PolicyReconciler } from '../domain/retention/policy-reconciler.js';
import { PurgeService } from '../domain/retention/purge.service.js';
import { RetentionScheduler } from '../domain/retention/retention-scheduler.js';
import { RetentionQueryService } from '../domain/retention/retention-query.service.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { SealedBiometricVault } from '../storage/blobs/biometric-vault.js';
import { FileBlobStore } from '../storage/blobs/file-blob.store.js';
import { KeyRing } from '../storage/crypto/key-ring.js';
import { loadMasterKey } from '../storage/crypto/master-key.js';
import { prepareSchema } from '../storage/database/migrator.js';
import { openDatabase } from '../storage/database/open-database.js';
import { createRepositories } from '../storage/repositories/index.js';
import { DeviceCredentialRepository } from '../storage/repositories/device-credential.repository.js';
import { rosterImportService } from './roster-import.command.js';

/**
 * What every role shares: configuration, database (migrated), sealed storage, the queue producer
 * and the domain services. Built once per process; `close` releases it in reverse order.
 */
export async function createCore(config: Config, logger: Logger, redisUrl: string, clock: Clock = systemClock) {
  const db = await openDatabase(config, (error) =>
    logger.warn({ err: { message: error.message } }, 'embedded database not served on its socket: CLI commands need the service stopped'));
  const applied = await prepareSchema(db, config.DB_MIGRATE_ON_START ? 'migrate' : 'verify').catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  if (applied.length) logger.info({ applied }, 'database migrated');

  const repos = createRepositories(db);
  const blobs = new FileBlobStore(path.join(config.dataDir, 'blobs'));
  const vault = new SealedBiometricVault(new KeyRing(loadMasterKey(config), repos.subjectKeys, repos.systemKeys), blobs);
  const redis = createRedis(redisUrl, 'producer');
  redis.on('error', () => undefined); // reported by /readyz; ioredis reconnects by itself
  const producer = new SubmissionProducer(redis, config.QUEUE_PREFIX, { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS });
  const retention: RetentionSettings = {
    imagesDays: config.RETENTION_IMAGES_DAYS, resultsDays: config.RETENTION_RESULTS_DAYS,
    livenessFrameHours: config.RETENTION_LIVENESS_FRAME_HOURS, templateMaxDays: config.RETENTION_TEMPLATE_MAX_DAYS ?? null,
  };
  const retentionQueue = new RetentionProducer(redis, config.QUEUE_PREFIX);
  const timers = new RetentionScheduler(db, retentionQueue, clock, (error) =>
    logger.warn({ err: { message: (error as Error).message } }, 'could not schedule purge jobs; the sweep will purge on time'));

  const audit = new AuditService({ uow: storageUnitOfWork(db), clock: clock });
  const consents = new ConsentService(db, vault, audit, clock, (subjectId) => void timers.scheduleSubject(subjectId));
  const subjects = new SubjectService(repos, vault, audit, clock, config.REFERENCE_MAX_AGE_YEARS);

  const monitor = new AccessMonitor(audit, clock, {
    maxViews: config.UNUSUAL_ACCESS_MAX_VIEWS, windowMs: config.UNUSUAL_ACCESS_WINDOW_MIN * 60_000,
  }, (actor) => {
    metrics.unusualAccessAlerts.inc();
    logger.warn({ actor: actor.id, role: actor.role }, 'unusual access to biometric data');
  });

  const challengePolicy: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, ttlMs: config.LIVENESS_CHALLENGE_TTL_SECONDS * 1000 };
  const attempts = new AttemptLimiter(db, clock, {
    maxFailures: config.LIVENESS_MAX_FAILURES, windowMs: config.LIVENESS_FAILURE_WINDOW_MIN * 60_000, lockoutMs: config.LIVENESS_LOCKOUT_MIN * 60_000,
  }, async (lockout, reasons) => {
    await audit.record({
      actor: SYSTEM_WORKER, action: 'liveness.locked-out', purpose: PURPOSE, subjectId: lockout.subjectId, targetType: 'subject',
      targetId: lockout.subjectId, outcome: 'alert', details: { lockedUntil: lockout.lockedUntil.toISOString(), failures: lockout.failures, reasons: [...reasons] },
    });
  });
  const challenges = new LivenessChallengeService({
    db, subjects, limiter: attempts, clock, policy: challengePolicy,
    events: { issued: async (c, actor) => {
      await audit.record({
        actor, action: 'liveness.challenge-issued', purpose: PURPOSE, subjectId: c.subjectId, targetType: 'liveness_challenge',
        targetId: c.id, outcome: 'success', details: { actions: [...c.actions] },
      });
    } },
  });
  const intake = new IntakeService({
    db, subjects, consents, vault, queue: producer, timers, retention, clock, challenges, audit,
    onEnqueueError: (submissionId, error) =>
      logger.warn({ submissionId, err: { message: (error as Error).message } }, 'enqueue failed; the stale sweep will retry'),
  });
  const quality = qualityThresholds({
    minInterEyePx: config.QUALITY_MIN_INTER_EYE_PX, minFaceHeightRatio: config.QUALITY_MIN_FACE_HEIGHT_RATIO, maxFaceHeightRatio: config.QUALITY_MAX_FACE_HEIGHT_RATIO,
    maxOutsideRatio: config.QUALITY_MAX_OUTSIDE_RATIO, minLuminance: config.QUALITY_MIN_LUMINANCE, maxLuminance: config.QUALITY_MAX_LUMINANCE,
    maxUnderExposed: config.QUALITY_MAX_UNDEREXPOSED, maxOverExposed: config.QUALITY_MAX_OVEREXPOSED, minContrast: config.QUALITY_MIN_CONTRAST,
    minSharpness: config.QUALITY_MIN_SHARPNESS, maxYawDeg: config.QUALITY_MAX_YAW_DEG, maxPitchDeg: config.QUALITY_MAX_PITCH_DEG,
    maxRollDeg: config.QUALITY_MAX_ROLL_DEG, minEyeOpenness: config.QUALITY_MIN_EYE_OPENNESS,
  });
  // The quality check's engine runs on threads of the API process, started on first use (no thread in a worker role).
  const qualityCheck = new QualityThreadPool({
    engine: { backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE },
    thresholds: quality, threads: config.QUALITY_CHECK_THREADS, queue: config.QUALITY_CHECK_QUEUE, timeoutMs: config.QUALITY_CHECK_TIMEOUT_MS,
  }, logger);
  const campaigns = createCampaignModule({ db, audit, clock, logger, redis, redisUrl, config });
  const modelUpgrade = createModelUpgradeModule({ db, audit, clock, logger, redis, redisUrl, config, vault, retention, consents, timers });
  const submissions = new SubmissionQueryService(repos, retention);
  const deviceStore = new DeviceCredentialRepository(db);
  const devices = new DeviceCredentialService({
    store: deviceStore, enrolments: deviceStore, clock,
    transaction: (fn) => db.transaction((tx) => fn({ store: new DeviceCredentialRepository(tx), audit: async (e) => void await audit.record(e, createRepositories(tx)) })),
    settings: {
      ttlDays: config.DEVICE_CREDENTIAL_TTL_DAYS, maxActive: config.DEVICE_CREDENTIALS_MAX_ACTIVE, codeTtlMinutes: config.ACTIVATION_CODE_TTL_MIN,
      maxFailures: config.DEVICE_MAX_FAILURES, failureWindowMinutes: config.DEVICE_FAILURE_WINDOW_MIN,
    },
  });
  const access = new SubjectAccessPolicy({
    subjects, consents, submissions: deviceStore, claimantOf: (submissionId) => devices.enrolmentClaimant(submissionId),
  });
  const review = new ReviewService(db, audit, clock, retention, {
    claimTtlMs: config.REVIEW_CLAIM_MIN * 60_000, deleteImagesAfterReview: config.RETENTION_DELETE_IMAGES_AFTER_REVIEW,
  }, timers, { decided: (event) => {
    logger.info({ submissionId: event.submissionId, outcome: event.outcome }, 'case reviewed');
    campaigns.onSubmissionDecided(event.submissionId).catch((error: unknown) =>
      logger.warn({ err: { message: (error as Error).message } }, 'campaign state not updated; the campaign tick will'));
  } }, { vault, consents, calibrationFor: loadCalibration, maxRecent: config.GALLERY_MAX_RECENT });

  return {
    config, logger, clock, db, repos, blobs, vault, redis, producer, retention, redisUrl, retentionQueue, timers,
    purge: new PurgeService(db, vault, audit, clock, (itemClass) => metrics.itemsPurged.inc({ item_class: itemClass })),
    holds: new LegalHoldService(db, audit, clock, (subjectId) => void timers.scheduleSubject(subjectId)),
    reconciler: new PolicyReconciler(db, audit, clock),
    retentionQuery: new RetentionQueryService(repos, retention),
    apiKeys: new ApiKeyService(repos.apiKeys, {
      counter: new RedisKeyFailureCounter(redis, config.QUEUE_PREFIX, config.AUTH_KEY_FAILURE_WINDOW_MIN * 60_000), maxFailures: config.AUTH_KEY_MAX_FAILURES,
    }),
    authFailures: new AuthFailureMonitor(new AuthFailureRepository(db), audit, clock, { alertAbove: config.AUTH_FAILURE_ALERT_PER_MIN }, (_source, failures) => {
      metrics.authFailureAlerts.inc();
      logger.warn({ failures }, 'unusual number of refused authentications from one source (audit: alert.auth-failures)');
    }),
    devices,
    access,
    roster: rosterImportService(db, audit, subjects),
    audit,
    consents,
    subjects,
    intake,
    submissions,
    review,
    campaigns,
    modelUpgrade,
    challengePolicy,
    attempts,
    challenges,
    quality,
    qualityCheck,
    cases: new CaseService(db, submissions),
    staffAuth: new StaffAuthService(db, audit, clock, {
      idleMs: config.STAFF_SESSION_IDLE_MIN * 60_000, absoluteMs: config.STAFF_SESSION_MAX_HOURS * 3600_000,
      lockAfterFailures: config.STAFF_LOCK_AFTER_FAILURES, lockMs: config.STAFF_LOCK_MIN * 60_000,
    }),
    reports: new AccessReportService(db, subjects, audit, clock),
    erasure: new ErasureService(db, vault, consents, audit, clock, new ErasureLedger(config.erasureLedgerPath)),
    images: new ImageAccessService(repos, vault, audit, monitor),
    async close() {
      await campaigns.close().catch(() => undefined);
      await modelUpgrade.close().catch(() => undefined);
      await qualityCheck.close().catch(() => undefined);
      await producer.close().catch(() => undefined);
      await retentionQueue.close().catch(() => undefined);
      redis.disconnect();
      await db.close();
    },
  };
}

export type Core = Awaited<ReturnType<typeof createCore>>;
