import { AUTH_FAILURE_WINDOW_MS, type AuthFailurePorts } from '../access/auth-failures.js';
import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { AuditService } from './audit.service.js';

export interface AuthFailureMonitorSettings {
  /** Failures from one source within a minute beyond which an alert is raised (AUTH_FAILURE_ALERT_PER_MIN). */
  readonly alertAbove: number;
}

export interface AuthFailureMonitorDeps {
  readonly uow: UnitOfWork<AuthFailurePorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly settings: AuthFailureMonitorSettings;
  /** Told once per alert (metrics, the operator's log). */
  readonly onAlert?: (source: string, failures: number) => void;
}

/** A refused authentication: where it came from and what it asked for. */
export interface AuthFailure {
  /** The client address; null when unknown (all such failures count as one source). */
  readonly ip: string | null;
  readonly method: string;
  readonly route: string;
}

/**
 * Counts refused authentications per source and minute (Art. 25: detect unauthorised access) and raises an alert
 * when one source passes the threshold: one audit entry and one `onAlert` per source per minute at most, because
 * only the request whose upsert returns exactly threshold + 1 raises it, whatever the number of API processes.
 */
export class AuthFailureMonitor {
  constructor(private readonly deps: AuthFailureMonitorDeps) {}

  /** Counts one failure; true when it raised the alert of its window. */
  async record(failure: AuthFailure): Promise<boolean> {
    const source = `ip:${failure.ip ?? 'unknown'}`;
    const { uow, audit, clock, settings } = this.deps;
    const failures = await uow.ports.authFailures.add(source, clock.now());
    if (failures !== settings.alertAbove + 1) return false;
    await audit.record({
      actor: { type: 'anonymous', id: null, role: null }, action: 'alert.auth-failures', outcome: 'alert', targetType: 'source', targetId: source,
      details: { failures, windowSeconds: AUTH_FAILURE_WINDOW_MS / 1000, threshold: settings.alertAbove, lastRoute: `${failure.method} ${failure.route}` },
    });
    this.deps.onAlert?.(source, failures);
    return true;
  }
}
