import type { StoragePorts } from '../storage/unit-of-work.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { createApp } from '../api/app.js';
import type { RouteSpec } from '../api/route-spec.js';
import { healthRoutes, type ReadinessCheck } from '../api/routes/health.routes.js';
import { metricsRoutes } from '../api/routes/metrics.routes.js';
import { metrics } from '../shared/metrics.js';
import { createDashboard } from '../dashboard/dashboard.router.js';
import { rateLimit } from '../api/middleware/rate-limit.js';
import { loadCalibration } from '../config/calibration.js';
import { SubmissionProcessor } from '../domain/verification/submission-processor.js';
import { createEngine } from '../engine/create-engine.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { defaultManifestPath, verifyModelManifest } from '../engine/model-manifest.js';
import { cropRgb, decodeRgb, rotateJpeg } from '../images/image-codec.js';
import { createRedis } from '../queue/connection.js';
import { startStaleSubmissionSweeper } from '../../workers/stale-submission.sweeper.js';
import { createSubmissionWorker } from '../../workers/submission.worker.js';
import type { Service } from './service.js';
import { createDocumentCheck } from './document-check.js';
import { createLivenessAssessor, loadPadModel } from './liveness.js';
import { WORKER_READY_MESSAGE, startWorkerStatsLog, stopwatch } from './worker-stats.js';
import { trackActiveJobs } from './active-jobs.js';
import { trackOpenRequests } from './open-requests.js';

export const VERSION = '0.1.0';

/** Every route the API serves, each declaring its roles: the platform's health and metrics, then each module's. */
export function apiRoutes(svc: Service, checks: readonly ReadinessCheck[]): RouteSpec[] {
  return [
    ...healthRoutes(checks),
    ...metricsRoutes(),
    ...svc.submissions.routes,
    ...svc.access.routes,
    ...svc.subjects.routes,
    ...svc.consent.routes({ intake: svc.submissions.intake, devices: svc.access.devices }),
    ...svc.rights.routes,
    ...svc.review.routes,
    ...svc.retention.routes,
    ...svc.campaigns.routes,
    ...svc.modelUpgrade.routes,
    ...svc.quality.routes,
    ...svc.liveness.routes,
  ];
}

/** Starts the HTTP API on config.PORT (0 = any free port). */
export async function startApi(svc: Service, extraChecks: readonly ReadinessCheck[] = []) {
  const { config } = svc.platform;
  const checks: ReadinessCheck[] = [
    { name: 'database', check: () => svc.platform.db.ping() },
    { name: 'redis', check: async () => void (await svc.platform.redis.ping()) },
    { name: 'blobs', check: () => svc.platform.blobs.ping() },
    ...extraChecks,
  ];
  const app = createApp({
    logger: svc.platform.logger,
    apiKeys: svc.access.apiKeys,
    devices: svc.access.devices,
    access: svc.access.policy,
    idempotency: svc.platform.uow.ports.idempotency,
    maxUploadBytes: config.UPLOAD_MAX_BYTES,
    uploadConcurrency: config.UPLOAD_CONCURRENCY,
    version: VERSION,
    onDenied: (denied) => {
      metrics.authDenied.inc({ status: String(denied.status) });
      // Without a valid credential, only a count per source and minute (and an alert past the threshold): a hash-chained
      // row per refusal would let anyone grow the append-only trail without limit.
      if (!denied.principal) {
        svc.access.authFailures.record(denied).catch((error: unknown) =>
          svc.platform.logger.warn({ err: { message: (error as Error).message } }, 'could not count a refused authentication'));
        return;
      }
      const actor = denied.principal
        ? denied.principal.keyId.startsWith('device:')
          ? { type: 'device' as const, id: denied.principal.keyId.slice('device:'.length), role: denied.principal.role }
          : { type: 'api-key' as const, id: denied.principal.keyId, role: denied.principal.role }
        : { type: 'anonymous' as const, id: null, role: null };
      svc.platform.audit.record({
        actor, action: 'auth.denied', outcome: 'denied', targetType: 'route', targetId: `${denied.method} ${denied.route}`,
        details: { status: denied.status, ip: denied.ip },
      }).catch((error: unknown) => svc.platform.logger.warn({ err: { message: (error as Error).message } }, 'could not audit a refused request'));
    },
    routes: apiRoutes(svc, checks),
    rateLimits: {
      perIp: rateLimit(svc.platform.redis, config.QUEUE_PREFIX, { name: 'ip', perMinute: config.RATE_LIMIT_PER_IP_PER_MIN }, (req) => req.ip ?? null),
      perKey: rateLimit(svc.platform.redis, config.QUEUE_PREFIX, { name: 'key', perMinute: config.RATE_LIMIT_PER_KEY_PER_MIN },
        // The app key is in every phone: limited per source address below, so no one caller exhausts it for all.
        (_req, locals) => {
          const principal = locals.principal as { keyId?: string; role?: string } | undefined;
          return principal?.role === 'mobile-client' && !locals.device ? null : principal?.keyId ?? null;
        }),
      appKeySource: rateLimit(svc.platform.redis, config.QUEUE_PREFIX, { name: 'app-key-source', perMinute: config.RATE_LIMIT_APP_KEY_PER_SOURCE_PER_MIN },
        (req, locals) => {
          const principal = locals.principal as { keyId?: string; role?: string } | undefined;
          return principal?.role === 'mobile-client' && !locals.device ? `${principal.keyId}@${req.ip ?? ''}` : null;
        }),
    },
    dashboard: createDashboard({
      auth: svc.access.staffAuth, review: svc.review.review, cases: svc.review.cases, images: svc.review.images, subjects: svc.subjects.subjects,
      consents: svc.consent.consents, retentionQuery: svc.retention.query, audit: svc.platform.audit, reports: svc.rights.reports, campaigns: svc.campaigns.services.campaigns,
      cookies: { secure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production' }, watermark: config.DASHBOARD_WATERMARK,
      sessionMaxAgeSeconds: Math.round(config.STAFF_SESSION_MAX_HOURS * 3600),
      officeTimeZone: config.OFFICE_TIME_ZONE,
    }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  // Idle keep-alive sockets outlive the client's and any proxy's idle timeout (60 s is common): the peer always
  // closes first, so a request never lands on a socket the server is closing (ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const requests = trackOpenRequests(server);
  let cutOff: Record<string, number> = {};
  const { port } = server.address() as AddressInfo;
  svc.platform.logger.info({ port, host: config.HOST }, 'API listening');
  return {
    port,
    url: `http://${config.HOST}:${port}`,
    /** Requests open now, and those cut off at shutdown (their handlers may still be running), by route. */
    requests: () => ({ open: requests.byRoute(), cutOff }),
    /**
     * Stops taking connections; open requests get `drainMs` to finish, then every connection is cut. A request still
     * open then is logged by route: its handler may still run (e.g. waiting on the database) after its client is gone.
     */
    async close(drainMs = 0): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (drainMs > 0 && !(await requests.drained(drainMs))) {
        cutOff = requests.byRoute();
        svc.platform.logger.warn({ drainMs, openRequests: cutOff }, 'requests still open after the drain time: cutting them off');
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Models verified against the manifest, for an API process that does not load them itself. */
export function modelFilesCheck(): ReadinessCheck {
  const verified = verifyModelManifest(defaultManifestPath());
  verified.catch(() => undefined);
  return { name: 'models', check: async () => void (await verified) };
}

/** Loads the engine and starts the submission worker plus the stale-submission sweep. */
export async function startWorker(svc: Service, engine?: FaceEngine) {
  const { config, logger } = svc.platform;
  const lap = stopwatch();
  const faceEngine = engine ?? await createEngine({
    backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE,
    model: config.ENGINE_MODEL,
  });
  const engineMs = lap();
  logger.info({ engine: faceEngine.info }, 'face engine ready');
  const calibration = loadCalibration(faceEngine.info.model);
  const documents = config.DOCUMENT_OCR ? await createDocumentCheck(svc, faceEngine, calibration) : null;
  const documentsMs = lap();
  const pad = await loadPadModel(svc);
  const padMs = lap();
  const processor = new SubmissionProcessor<StoragePorts>({
    documentCheck: documents?.check, liveness: createLivenessAssessor(svc, pad, calibration),
    uow: svc.platform.uow, consents: svc.consent.consents, vault: svc.platform.vault, engine: faceEngine, ops: { decodeRgb, cropRgb, rotateJpeg },
    calibration, retention: svc.platform.retentionSettings,
    selfieRules: { minFacePx: config.MIN_FACE_PX, rivalAreaRatio: 0.35 }, clock: svc.platform.clock,
    audit: svc.platform.audit, consentRecording: svc.consent.confirmations, timers: svc.retention.timers, gallery: { maxRecent: config.GALLERY_MAX_RECENT },
  });
  const connection = createRedis(svc.platform.redisUrl, 'worker');
  connection.on('error', (error: Error) => logger.debug({ err: { message: error.message } }, 'worker redis connection error'));
  const worker: Worker = createSubmissionWorker({
    connection, prefix: config.QUEUE_PREFIX, processor, concurrency: config.WORKER_CONCURRENCY, lockMs: config.JOB_LOCK_MS, logger,
  });
  const retentionWorkers = await svc.retention.startWorkers();
  const campaignWorkers = await svc.campaigns.startWorkers();
  const upgradeWorkers = await svc.modelUpgrade.startWorkers({ shareEngine: faceEngine });
  const activeJobs = trackActiveJobs();
  activeJobs.watch(worker, retentionWorkers.worker, campaignWorkers.control, campaignWorkers.webhooks, upgradeWorkers.control, upgradeWorkers.subjects);
  worker.on('completed', (job) => {
    const submissionId = (job.data as { submissionId?: string }).submissionId;
    if (submissionId) svc.campaigns.onSubmissionDecided(submissionId).catch((error: unknown) =>
      logger.warn({ err: { message: (error as Error).message } }, 'campaign state not updated; the campaign tick will'));
  });
  // A policy changed in configuration applies to data already held, shortening freely, never extending silently.
  const reconciled = await svc.retention.reconciler.reconcile(svc.platform.retentionSettings);
  if (reconciled.shortened || reconciled.keptPromise) logger.info({ ...reconciled, changedItemIds: undefined }, 'retention policy reconciled');
  const stopSweeper = startStaleSubmissionSweeper({
    submissions: svc.platform.uow.ports.submissions, queue: svc.submissions.queue, clock: svc.platform.clock, logger,
    olderThanMs: config.STALE_SUBMISSION_SECONDS * 1000, intervalMs: Math.min(30_000, config.STALE_SUBMISSION_SECONDS * 500),
  });
  let jobsDone = 0;
  worker.on('completed', () => void jobsDone++);
  worker.on('failed', () => void jobsDone++);
  const stopStats = startWorkerStatsLog({ tensorCount: () => faceEngine.tensorCount(), jobsDone: () => jobsDone }, logger, config.WORKER_STATS_SECONDS * 1000);
  // Start-up cost by part (models verified, loaded and warmed; the OCR engine; the PAD nets), and since the process began.
  logger.info({
    startupMs: { engine: engineMs, documents: documentsMs, pad: padMs, rest: lap(), sinceProcessStart: Math.round(process.uptime() * 1000) },
  }, WORKER_READY_MESSAGE);
  const modelsCheck: ReadinessCheck = { name: 'models', check: async () => void faceEngine.tensorCount() };
  return {
    engine: faceEngine,
    processor,
    worker,
    modelsCheck,
    /** Jobs running now by name (what a shutdown waits for). */
    activeJobs: () => activeJobs.byName(),
    /** Graceful: lets the running job finish (BullMQ waits for it), then releases everything. */
    async close(disposeEngine = !engine) {
      stopSweeper();
      stopStats();
      await worker.close();
      await retentionWorkers.close();
      await campaignWorkers.close();
      await upgradeWorkers.close();
      connection.disconnect();
      await documents?.close();
      await pad.dispose();
      if (disposeEngine) await faceEngine.dispose();
    },
  };
}
