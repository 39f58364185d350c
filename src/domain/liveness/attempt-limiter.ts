/**
 * Retry limits: after `maxFailures` failed verification attempts within `windowMs`, the subject is locked out for
 * `lockoutMs`. While locked out, new challenges are refused and any submission that still arrives goes to a person
 * (ATTEMPTS_LOCKED_OUT) instead of being decided by the machine: a patient attacker gets no more tries at the
 * passive check, and a person who keeps failing gets help.
 */
import type { Clock } from '../../shared/clock.js';
import type { Queryable } from '../../storage/database/database.js';
import { LivenessAttemptRepository, type Lockout } from '../../storage/repositories/liveness-attempt.repository.js';

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

export class AttemptLimiter {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly policy: AttemptPolicy = DEFAULT_ATTEMPT_POLICY,
    private readonly onLocked?: LockoutListener,
  ) {}

  /** The lockout in force now, if any. */
  async activeLockout(subjectId: string, tx: Queryable = this.db): Promise<Lockout | null> {
    const lockout = await new LivenessAttemptRepository(tx).lockoutOf(subjectId);
    return lockout && lockout.lockedUntil.getTime() > this.clock.now().getTime() ? lockout : null;
  }

  /**
   * Records a failed attempt and starts a lockout when it is the N-th in the window. Returns the lockout that
   * started (or was already running), or null. Idempotent per submission.
   */
  async recordFailure(subjectId: string, submissionId: string, reasons: readonly string[], tx: Queryable = this.db): Promise<Lockout | null> {
    const now = this.clock.now();
    const repo = new LivenessAttemptRepository(tx);
    const before = await this.activeLockout(subjectId, tx);
    await repo.recordFailure(subjectId, submissionId, now, reasons);
    const failures = await repo.countFailuresSince(subjectId, new Date(now.getTime() - this.policy.windowMs));
    if (failures >= this.policy.maxFailures) {
      await repo.lock(subjectId, now, new Date(now.getTime() + this.policy.lockoutMs), failures);
    }
    const after = await this.activeLockout(subjectId, tx);
    if (after && !before) await this.onLocked?.(after, reasons);
    return after;
  }
}
