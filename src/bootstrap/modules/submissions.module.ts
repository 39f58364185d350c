import { IntakeService } from '../../domain/submissions/intake.service.js';
import { SubmissionQueryService } from '../../domain/submissions/submission-query.service.js';
import { SubmissionProducer } from '../../queue/submission.producer.js';
import type { StoragePorts } from '../../storage/unit-of-work.js';
import type { Platform } from '../platform.js';
import type { ConsentModule } from './consent.module.js';
import type { LivenessModule } from './liveness.module.js';
import type { RetentionModule } from './retention.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** Submissions: the intake that stores and queues an upload, and the answer the phone or staff read back. */
export function createSubmissionsModule(
  platform: Platform, deps: { subjects: SubjectsModule; consent: ConsentModule; liveness: LivenessModule; retention: RetentionModule },
) {
  const { uow, vault, audit, clock, config, logger, retentionSettings } = platform;
  const queue = new SubmissionProducer(platform.redis, config.QUEUE_PREFIX, { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS });
  const intake = new IntakeService<StoragePorts>({
    uow, subjects: deps.subjects.subjects, consents: deps.consent.consents, vault, queue, timers: deps.retention.timers,
    retention: retentionSettings, clock, challenges: deps.liveness.challenges, audit,
    onEnqueueError: (submissionId, error) =>
      logger.warn({ submissionId, err: { message: (error as Error).message } }, 'enqueue failed; the stale sweep will retry'),
  });
  return { queue, intake, query: new SubmissionQueryService({ uow, retention: retentionSettings }), close: () => queue.close() };
}

export type SubmissionsModule = ReturnType<typeof createSubmissionsModule>;
