import { submissionRoutes } from '../../api/routes/submissions.routes.js';
import { subjectRoutes } from '../../api/routes/subjects.routes.js';
import { IntakeService } from '../../domain/submissions/intake.service.js';
import { SubmissionQueryService } from '../../domain/submissions/submission-query.service.js';
import { SubmissionProducer } from '../../queue/submission.producer.js';
import type { StoragePorts } from '../../storage/unit-of-work.js';
import type { Platform } from '../platform.js';
import type { AccessModule } from './access.module.js';
import type { ConsentModule } from './consent.module.js';
import { frameLimitsOf, type LivenessModule } from './liveness.module.js';
import type { RetentionModule } from './retention.module.js';
import type { SubjectsModule } from './subjects.module.js';

/**
 * Subjects' submissions: the intake that stores and queues an upload (enrolment, verification), the answer the phone or
 * staff read back, and the subject routes the phone and the office use.
 */
export function createSubmissionsModule(
  platform: Platform,
  deps: { subjects: SubjectsModule; consent: ConsentModule; liveness: LivenessModule; retention: RetentionModule; access: AccessModule },
) {
  const { uow, vault, audit, clock, config, logger, retentionSettings } = platform;
  const queue = new SubmissionProducer(platform.redis, config.QUEUE_PREFIX, { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS });
  const intake = new IntakeService<StoragePorts>({
    uow, subjects: deps.subjects.subjects, consents: deps.consent.consents, vault, queue, timers: deps.retention.timers,
    retention: retentionSettings, clock, challenges: deps.liveness.challenges, audit,
    onEnqueueError: (submissionId, error) =>
      logger.warn({ submissionId, err: { message: (error as Error).message } }, 'enqueue failed; the stale sweep will retry'),
  });
  const query = new SubmissionQueryService({ uow, retention: retentionSettings });
  return {
    queue, intake, query,
    routes: [
      ...subjectRoutes({
        subjects: deps.subjects.subjects, consents: deps.consent.consents, retentionQuery: deps.retention.query, intake,
        normalizeImage: platform.normalizeImage, frameLimits: frameLimitsOf(platform, deps.liveness),
        registration: config.SUBJECT_REGISTRATION, devices: deps.access.devices,
      }),
      ...submissionRoutes({ submissions: query }),
    ],
    close: () => queue.close(),
  };
}

export type SubmissionsModule = ReturnType<typeof createSubmissionsModule>;
