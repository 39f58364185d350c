import { AUTH_FAILURE_WINDOW_MS, type AuthFailureCounts } from '../access/auth-failures.js';
import type { Clock } from '../../shared/clock.js';
import type { AuditService } from './audit.service.js';

export interface AuthFailureMonitorSettings {
  /** Failures from one source within a minute beyond which an alert is raised (AUTH_FAILURE_ALERT_PER_MIN). */
  readonly alertAbove: number;
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
  constructor(
    private readonly counts: AuthFailureCounts,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: AuthFailureMonitorSettings,
    private readonly onAlert: (source: string, failures: number) => void = () => undefined,
  ) {}

  /** Counts one failure; true when it raised the alert of its window. */
  async record(failure: AuthFailure): Promise<boolean> {
    const source = `ip:${failure.ip ?? 'unknown'}`;
    const failures = await this.counts.add(source, this.clock.now());
    if (failures !== this.settings.alertAbove + 1) return false;
    await this.audit.record({
      actor: { type: 'anonymous', id: null, role: null }, action: 'alert.auth-failures', outcome: 'alert', targetType: 'source', targetId: source,
      details: { failures, windowSeconds: AUTH_FAILURE_WINDOW_MS / 1000, threshold: this.settings.alertAbove, lastRoute: `${failure.method} ${failure.route}` },
    });
    this.onAlert(source, failures);
    return true;
  }
}
