import type { LivenessAttemptRepository, Lockout } from '../../domain/liveness/liveness-ports.js';
import type { Queryable } from '../database/database.js';

/** Failed verification attempts per subject, and the lockouts they cause. */
export class SqlLivenessAttemptRepository implements LivenessAttemptRepository {
  constructor(private readonly db: Queryable) {}

  /** Records one failed attempt (idempotent per submission: a job run twice counts once). */
  async recordFailure(subjectId: string, submissionId: string, at: Date, reasons: readonly string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO verification_failures (submission_id, subject_id, failed_at, reasons) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [submissionId, subjectId, at, JSON.stringify(reasons)],
    );
  }

  async countFailuresSince(subjectId: string, since: Date): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM verification_failures WHERE subject_id = $1 AND failed_at >= $2', [subjectId, since],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Starts a lockout, or extends one that would end sooner. */
  async lock(subjectId: string, at: Date, until: Date, failures: number): Promise<void> {
    await this.db.query(
      `INSERT INTO subject_lockouts (subject_id, locked_at, locked_until, failures) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_id) DO UPDATE SET locked_at = EXCLUDED.locked_at, locked_until = EXCLUDED.locked_until, failures = EXCLUDED.failures
       WHERE subject_lockouts.locked_until < EXCLUDED.locked_until`,
      [subjectId, at, until, failures],
    );
  }

  async lockoutOf(subjectId: string): Promise<Lockout | null> {
    const rows = await this.db.query<{ subject_id: string; locked_at: Date; locked_until: Date; failures: number }>(
      'SELECT * FROM subject_lockouts WHERE subject_id = $1', [subjectId],
    );
    const r = rows[0];
    return r ? { subjectId: r.subject_id, lockedAt: r.locked_at, lockedUntil: r.locked_until, failures: r.failures } : null;
  }

  async deleteForSubject(subjectId: string): Promise<void> {
    await this.db.query('DELETE FROM subject_lockouts WHERE subject_id = $1', [subjectId]);
    await this.db.query('DELETE FROM verification_failures WHERE subject_id = $1', [subjectId]);
  }
}
