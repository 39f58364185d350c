import { modelUpgradeRoutes } from '../../api/routes/model-upgrade.routes.js';
import type { ScopeNeed } from '../../domain/consent/consent.js';
import type { RetentionSettings } from '../../domain/retention/retention-policy.js';
import { ModelUpgradeService } from '../../domain/model-upgrade/model-upgrade.service.js';
import {
  modelUpgradeSettings, type ModelUpgradePorts, type ModelUpgradeSettings, type TargetEngines,
} from '../../domain/model-upgrade/model-upgrade-ports.js';
import { TemplateReExtractor, type ReExtractResult } from '../../domain/model-upgrade/template-re-extractor.js';
import { UpgradeDispatcher } from '../../domain/model-upgrade/upgrade-dispatcher.js';
import { UpgradeFanOutRunner, type FanOutProgress } from '../../domain/model-upgrade/upgrade-fanout.runner.js';
import { UpgradeTicker } from '../../domain/model-upgrade/upgrade-ticker.js';
import type { BackendChoice } from '../../engine/backend.js';
import { engineVersion, isEngineModel } from '../../engine/create-engine.js';
import { createEnginePool } from '../../engine/engine-pool.js';
import type { FaceEngine } from '../../engine/face-engine.js';
import { cropRgb, decodeRgb } from '../../images/image-codec.js';
import { createRedis } from '../../queue/connection.js';
import { ModelUpgradeProducer } from '../../queue/model-upgrade.producer.js';
import type { BiometricVault } from '../../domain/subjects/biometric-vault.js';
import type { UnitOfWork } from '../../domain/unit-of-work.js';
import { createModelUpgradeWorkers } from '../../../workers/model-upgrade.worker.js';
import type { Platform } from '../platform.js';

/** What the model upgrade module needs: the platform's parts, consent and retention (modelUpgradeCore in service.ts). */
export interface ModelUpgradeCore extends Pick<Platform, 'audit' | 'clock' | 'logger' | 'redis' | 'redisUrl'> {
  readonly uow: UnitOfWork<ModelUpgradePorts>;
  readonly vault: BiometricVault;
  readonly retention: RetentionSettings;
  readonly consents: { isCovered(subjectId: string, needs: readonly ScopeNeed[]): Promise<boolean> };
  readonly timers: { scheduleSubject(subjectId: string): Promise<void> };
  readonly config: {
    readonly QUEUE_PREFIX: string; readonly JOB_LOCK_MS: number; readonly MIN_FACE_PX: number;
    readonly ENGINE_BACKEND: BackendChoice; readonly ENGINE_DETECTOR: 'ssd' | 'tiny'; readonly ENGINE_MIN_DETECTION_SCORE: number;
  };
}

export interface ModelUpgradeWorkerStart {
  /** The verification worker's engine, reused when the batch targets the same pipeline. */
  readonly shareEngine?: FaceEngine;
  /** Engines to use instead of loading them here (tests share one between a killed and a new worker). */
  readonly engines?: TargetEngines;
  readonly onFanOutPage?: (progress: FanOutProgress) => Promise<void> | void;
  readonly onSubject?: (batchId: string, subjectId: string, result: ReExtractResult) => Promise<void> | void;
}

/**
 * Model upgrade batches wired in one place: the service and routes for the API, `startWorkers()` for a
 * worker process. The migration (007) is listed in src/storage/migrations.
 */
export function createModelUpgradeModule(core: ModelUpgradeCore, opts: { settings?: Partial<ModelUpgradeSettings> } = {}) {
  const { uow, audit, clock, logger, config } = core;
  const settings = modelUpgradeSettings({ jobLockMs: config.JOB_LOCK_MS, ...opts.settings });
  const producer = new ModelUpgradeProducer(core.redis, config.QUEUE_PREFIX);
  const dispatcher = new UpgradeDispatcher({ uow, queue: producer, clock, settings });
  const versions = { versionOf: (model: string) => (isEngineModel(model) ? engineVersion(model) : null) };
  const upgrades = new ModelUpgradeService({
    uow, audit, clock, queue: producer, dispatcher, engines: versions, settings,
    onEnqueueError: (error) => logger.warn({ err: { message: (error as Error).message } }, 'could not enqueue the model upgrade; the tick will'),
  });
  const fanOut = new UpgradeFanOutRunner({ uow, audit, clock, dispatcher, settings });
  const ticker = new UpgradeTicker({ uow, audit, clock, queue: producer, dispatcher });

  return {
    settings,
    producer,
    services: { upgrades, fanOut, ticker, dispatcher },
    routes: modelUpgradeRoutes({ upgrades }),

    /** The upgrade workers and the tick scheduler; target engines are loaded on the first subject job. */
    async startWorkers(start: ModelUpgradeWorkerStart = {}) {
      const pool = start.engines ? null : createEnginePool({
        backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE,
      }, start.shareEngine);
      const reExtractor = new TemplateReExtractor({
        uow, vault: core.vault, engines: start.engines ?? pool!, ops: { decodeRgb, cropRgb },
        selfieRules: { minFacePx: config.MIN_FACE_PX, rivalAreaRatio: 0.35 }, retention: core.retention, clock, audit,
        consents: core.consents, timers: core.timers,
      });
      const connection = createRedis(core.redisUrl, 'worker');
      connection.on('error', (error: Error) => logger.debug({ err: { message: error.message } }, 'model upgrade redis connection error'));
      const workers = createModelUpgradeWorkers({
        connection, prefix: config.QUEUE_PREFIX, fanOut, reExtractor, ticker, dispatcher, lockMs: settings.jobLockMs,
        concurrency: settings.concurrency, logger, onFanOutPage: start.onFanOutPage, onSubject: start.onSubject,
      });
      await producer.ensureTick(settings.tickMs);
      await producer.kickTick();
      return {
        ...workers,
        reExtractor,
        /** Abrupt stop for tests: no graceful hand-back, locks simply expire. */
        async kill() {
          await workers.kill();
          connection.disconnect();
        },
        async close() {
          await workers.close();
          connection.disconnect();
          await pool?.dispose();
        },
      };
    },
    close: () => producer.close(),
  };
}

export type ModelUpgradeModule = ReturnType<typeof createModelUpgradeModule>;
