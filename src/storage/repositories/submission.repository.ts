import type { Queryable } from '../database/database.js';
import type { SubmissionCompletion, SubmissionRepository } from '../../domain/submissions/submission-ports.js';
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

export class SqlSubmissionRepository implements SubmissionRepository {
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

  async startAttempt(id: string, at: Date): Promise<Submission | null> {
    const rows = await this.db.query<Row>(
      `UPDATE submissions SET status = 'processing', attempts = attempts + 1, started_at = COALESCE(started_at, $2)
        WHERE id = $1 AND status IN ('queued','processing') RETURNING *`,
      [id, at],
    );
    return rows[0] ? toSubmission(rows[0]) : null;
  }

  /** The status guard is what makes a second completion a no-op. */
  async complete(id: string, outcome: SubmissionCompletion): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions SET status = $2, decision = $3, reasons = $4, result = $5, completed_at = $6
        WHERE id = $1 AND status IN ('queued','processing') RETURNING id`,
      [id, outcome.status, outcome.decision, JSON.stringify(outcome.reasons), JSON.stringify(outcome.result), outcome.at],
    );
    return rows.length === 1;
  }

  async findStaleQueued(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM submissions WHERE status = 'queued' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }

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
