import { LegalHoldService } from '../../domain/retention/legal-hold.service.js';
import { PolicyReconciler } from '../../domain/retention/policy-reconciler.js';
import { PurgeService } from '../../domain/retention/purge.service.js';
import { RetentionQueryService } from '../../domain/retention/retention-query.service.js';
import { RetentionScheduler } from '../../domain/retention/retention-scheduler.js';
import { RetentionProducer } from '../../queue/retention.producer.js';
import { metrics } from '../../shared/metrics.js';
import { retentionRoutes } from '../../api/routes/retention.routes.js';
import { createRedis } from '../../queue/connection.js';
import { createRetentionWorker } from '../../../workers/retention.worker.js';
import type { Platform } from '../platform.js';
import type { SubjectsModule } from './subjects.module.js';

/** Retention (Art. 14/20): purge timers and their sweep, purging, legal holds, policy changes, what is kept until when. */
export function createRetentionModule(platform: Platform, subjects: SubjectsModule) {
  const { uow, vault, audit, clock, logger, retentionSettings } = platform;
  const queue = new RetentionProducer(platform.redis, platform.config.QUEUE_PREFIX);
  const timers = new RetentionScheduler({
    uow, queue, clock,
    onError: (error) => logger.warn({ err: { message: (error as Error).message } }, 'could not schedule purge jobs; the sweep will purge on time'),
  });
  const purge = new PurgeService({ uow, vault, audit, clock, onPurged: (itemClass) => metrics.itemsPurged.inc({ item_class: itemClass }) });
  const holds = new LegalHoldService({ uow, audit, clock, onReleased: (subjectId) => void timers.scheduleSubject(subjectId) });
  const query = new RetentionQueryService({ uow, settings: retentionSettings });
  return {
    queue,
    timers,
    purge,
    holds,
    reconciler: new PolicyReconciler({ uow, audit, clock }),
    query,
    routes: retentionRoutes({ subjects: subjects.subjects, holds, retentionQuery: query }),
    /** The purge jobs' handlers and the sweep's schedule (a worker role). */
    async startWorkers() {
      const connection = createRedis(platform.redisUrl, 'worker');
      connection.on('error', () => undefined); // the submission worker's connection logs Redis trouble once
      const worker = createRetentionWorker({ connection, prefix: platform.config.QUEUE_PREFIX, purge, logger });
      await queue.ensureSweep(platform.config.RETENTION_SWEEP_SECONDS * 1000);
      return {
        worker,
        async close() {
          await worker.close();
          connection.disconnect();
        },
      };
    },
    close: () => queue.close(),
  };
}

export type RetentionModule = ReturnType<typeof createRetentionModule>;
