import { LegalHoldService } from '../../domain/retention/legal-hold.service.js';
import { PolicyReconciler } from '../../domain/retention/policy-reconciler.js';
import { PurgeService } from '../../domain/retention/purge.service.js';
import { RetentionQueryService } from '../../domain/retention/retention-query.service.js';
import { RetentionScheduler } from '../../domain/retention/retention-scheduler.js';
import { RetentionProducer } from '../../queue/retention.producer.js';
import { metrics } from '../../shared/metrics.js';
import type { Platform } from '../platform.js';

/** Retention (Art. 14/20): purge timers and their sweep, purging, legal holds, policy changes, what is kept until when. */
export function createRetentionModule(platform: Platform) {
  const { uow, vault, audit, clock, logger, retentionSettings } = platform;
  const queue = new RetentionProducer(platform.redis, platform.config.QUEUE_PREFIX);
  const timers = new RetentionScheduler({
    uow, queue, clock,
    onError: (error) => logger.warn({ err: { message: (error as Error).message } }, 'could not schedule purge jobs; the sweep will purge on time'),
  });
  return {
    queue,
    timers,
    purge: new PurgeService({ uow, vault, audit, clock, onPurged: (itemClass) => metrics.itemsPurged.inc({ item_class: itemClass }) }),
    holds: new LegalHoldService({ uow, audit, clock, onReleased: (subjectId) => void timers.scheduleSubject(subjectId) }),
    reconciler: new PolicyReconciler({ uow, audit, clock }),
    query: new RetentionQueryService({ uow, settings: retentionSettings }),
    close: () => queue.close(),
  };
}

export type RetentionModule = ReturnType<typeof createRetentionModule>;
