/**
 * Retry limits: after `maxFailures` failed verification attempts within `windowMs`, the subject is locked out for
 * `lockoutMs`. While locked out, new challenges are refused and any submission that still arrives goes to a person
 * (ATTEMPTS_LOCKED_OUT) instead of being decided by the machine: a patient attacker gets no more tries at the
 * passive check, and a person who keeps failing gets help.
 */
import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { LivenessPorts, Lockout } from './liveness-ports.js';

export interface AttemptPolicy {
  /** Failed attempts in the window that start a lockout (default 5). */
  readonly maxFailures: number;
  /** The window, in milliseconds (default 3 minutes). */
  readonly windowMs: number;
  /** How long the lockout lasts, in milliseconds (default 30 minutes). */
  readonly lockoutMs: number;
}

export const DEFAULT_ATTEMPT_POLICY: AttemptPolicy = { maxFailures: 5, windowMs: 3 * 60_000, lockoutMs: 30 * 60_000 };

/** Told when a lockout starts, e.g. to audit it. */
export type LockoutListener = (lockout: Lockout, reasons: readonly string[]) => void | Promise<void>;

export interface AttemptLimiterDeps {
  readonly uow: UnitOfWork<Pick<LivenessPorts, 'livenessAttempts'>>;
  readonly clock: Clock;
  /** DEFAULT_ATTEMPT_POLICY when left out. */
  readonly policy?: AttemptPolicy;
  readonly onLocked?: LockoutListener;
}

export class AttemptLimiter {
  constructor(private readonly deps: AttemptLimiterDeps) {}

  /** The lockout in force now, if any. */
  async activeLockout(subjectId: string): Promise<Lockout | null> {
    const lockout = await this.deps.uow.ports.livenessAttempts.lockoutOf(subjectId);
    return lockout && lockout.lockedUntil.getTime() > this.deps.clock.now().getTime() ? lockout : null;
  }

  /**
   * Records a failed attempt and starts a lockout when it is the N-th in the window. Returns the lockout that
   * started (or was already running), or null. Idempotent per submission.
   */
  async recordFailure(subjectId: string, submissionId: string, reasons: readonly string[]): Promise<Lockout | null> {
    const { uow, clock, policy = DEFAULT_ATTEMPT_POLICY } = this.deps;
    const now = clock.now();
    const attempts = uow.ports.livenessAttempts;
    const before = await this.activeLockout(subjectId);
    await attempts.recordFailure(subjectId, submissionId, now, reasons);
    const failures = await attempts.countFailuresSince(subjectId, new Date(now.getTime() - policy.windowMs));
    if (failures >= policy.maxFailures) {
      await attempts.lock(subjectId, now, new Date(now.getTime() + policy.lockoutMs), failures);
    }
    const after = await this.activeLockout(subjectId);
    if (after && !before) await this.deps.onLocked?.(after, reasons);
    return after;
  }
}
