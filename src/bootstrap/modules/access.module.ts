import { deviceCredentialRoutes } from '../../api/routes/device-credentials.routes.js';
import { ApiKeyService } from '../../domain/access/api-key.service.js';
import { AuthFailureMonitor } from '../../domain/audit/auth-failure-monitor.js';
import { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import { SubjectAccessPolicy } from '../../domain/devices/subject-access.service.js';
import { StaffAuthService } from '../../domain/staff/staff-auth.service.js';
import { RedisKeyFailureCounter } from '../../queue/key-failure.counter.js';
import { metrics } from '../../shared/metrics.js';
import type { Platform } from '../platform.js';
import type { ConsentModule } from './consent.module.js';
import type { SubjectsModule } from './subjects.module.js';

/**
 * Who may act, and for whom: API keys with their throttle, refused-authentication counts, the phones' device
 * credentials bound to one pensioner, the per-subject access policy, and staff sign-in.
 */
export function createAccessModule(platform: Platform, deps: { subjects: SubjectsModule; consent: ConsentModule }) {
  const { uow, audit, clock, config, logger, redis } = platform;
  const devices = new DeviceCredentialService({
    uow, audit, enrolments: uow.ports.devices, clock,
    settings: {
      ttlDays: config.DEVICE_CREDENTIAL_TTL_DAYS, maxActive: config.DEVICE_CREDENTIALS_MAX_ACTIVE, codeTtlMinutes: config.ACTIVATION_CODE_TTL_MIN,
      maxFailures: config.DEVICE_MAX_FAILURES, failureWindowMinutes: config.DEVICE_FAILURE_WINDOW_MIN,
    },
  });
  return {
    apiKeys: new ApiKeyService({ uow, limit: {
      counter: new RedisKeyFailureCounter(redis, config.QUEUE_PREFIX, config.AUTH_KEY_FAILURE_WINDOW_MIN * 60_000), maxFailures: config.AUTH_KEY_MAX_FAILURES,
    } }),
    authFailures: new AuthFailureMonitor({ uow, audit, clock, settings: { alertAbove: config.AUTH_FAILURE_ALERT_PER_MIN }, onAlert: (_source, failures) => {
      metrics.authFailureAlerts.inc();
      logger.warn({ failures }, 'unusual number of refused authentications from one source (audit: alert.auth-failures)');
    } }),
    devices,
    policy: new SubjectAccessPolicy({
      subjects: deps.subjects.subjects, consents: deps.consent.consents, submissions: uow.ports.devices,
      claimantOf: (submissionId) => devices.enrolmentClaimant(submissionId),
    }),
    staffAuth: new StaffAuthService({ uow, audit, clock, settings: {
      idleMs: config.STAFF_SESSION_IDLE_MIN * 60_000, absoluteMs: config.STAFF_SESSION_MAX_HOURS * 3600_000,
      lockAfterFailures: config.STAFF_LOCK_AFTER_FAILURES, lockMs: config.STAFF_LOCK_MIN * 60_000,
    } }),
    routes: deviceCredentialRoutes({
      devices, subjects: deps.subjects.subjects, clock,
      subjectRefOf: async (id) => (await uow.ports.subjects.findById(id))?.ref ?? '',
    }),
  };
}

export type AccessModule = ReturnType<typeof createAccessModule>;
