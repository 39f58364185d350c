import type { Queryable } from '../database/database.js';
import type {
  Decision, Submission, SubmissionKind, SubmissionResult, SubmissionStatus,
} from '../../domain/submissions/submission.js';

interface Row {
  id: string; subject_id: string; kind: SubmissionKind; status: SubmissionStatus; decision: Decision | null;
  reasons: string[]; result: SubmissionResult | null; attempts: number;
  created_at: Date; started_at: Date | null; completed_at: Date | null;
  machine_decision: Decision | null; review: Submission['review'];
}

const toSubmission = (r: Row): Submission => ({
  id: r.id, subjectId: r.subject_id, kind: r.kind, status: r.status, decision: r.decision, reasons: r.reasons,
  result: r.result, attempts: r.attempts, createdAt: r.created_at, startedAt: r.started_at, completedAt: r.completed_at,
  machineDecision: r.machine_decision ?? null, review: r.review ?? null,
});

export class SubmissionRepository {
  constructor(private readonly db: Queryable) {}

  async insert(s: { id: string; subjectId: string; kind: SubmissionKind; createdAt: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO submissions (id, subject_id, kind, status, created_at) VALUES ($1, $2, $3, 'queued', $4)`,
      [s.id, s.subjectId, s.kind, s.createdAt],
    );
  }

  async findById(id: string): Promise<Submission | null> {
    const rows = await this.db.query<Row>('SELECT * FROM submissions WHERE id = $1', [id]);
    return rows[0] ? toSubmission(rows[0]) : null;
  }

  /** Marks the start of an attempt; returns null when the submission is already terminal (a re-delivered job). */
  async startAttempt(id: string, at: Date): Promise<Submission | null> {
    const rows = await this.db.query<Row>(
      `UPDATE submissions SET status = 'processing', attempts = attempts + 1, started_at = COALESCE(started_at, $2)
        WHERE id = $1 AND status IN ('queued','processing') RETURNING *`,
      [id, at],
    );
    return rows[0] ? toSubmission(rows[0]) : null;
  }

  /**
   * Records the terminal state once. The status guard makes a second completion (a job re-run after
   * a crash between commit and acknowledgement) a no-op: returns false then.
   */
  async complete(
    id: string,
    outcome: { status: 'completed' | 'failed'; decision: Decision | null; reasons: readonly string[]; result: SubmissionResult; at: Date },
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions SET status = $2, decision = $3, reasons = $4, result = $5, completed_at = $6
        WHERE id = $1 AND status IN ('queued','processing') RETURNING id`,
      [id, outcome.status, outcome.decision, JSON.stringify(outcome.reasons), JSON.stringify(outcome.result), outcome.at],
    );
    return rows.length === 1;
  }

  /** Submissions still queued after `olderThan`: their job may have been lost between insert and enqueue. */
  async findStaleQueued(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM submissions WHERE status = 'queued' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }

  /** End of the results term: the scores and findings go; the row stays as a bare record that a check took place. */
  async purgeResult(id: string): Promise<void> {
    await this.db.query(`UPDATE submissions SET result = NULL, reasons = '[]' WHERE id = $1`, [id]);
  }

  async listForSubject(subjectId: string, limit = 50): Promise<Submission[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM submissions WHERE subject_id = $1 ORDER BY created_at DESC LIMIT $2',
      [subjectId, limit],
    );
    return rows.map(toSubmission);
  }
}
