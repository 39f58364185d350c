import type { Queryable } from '../database/database.js';
import type { CaseClaim, QueueEntry, QueueFilter, ReviewRecord, ReviewRepository } from '../../domain/review/review-ports.js';

const WAITING = `s.decision = 'needs_review' AND s.review IS NULL`;

/** The review queue and case decisions over the submissions table. */
export class SqlReviewRepository implements ReviewRepository {
  constructor(private readonly db: Queryable) {}

  async queue(f: QueueFilter): Promise<QueueEntry[]> {
    const rows = await this.db.query<{
      id: string; external_ref: string; kind: QueueEntry['kind']; reasons: string[]; similarity: string | null;
      completed_at: Date; claimed_by: string | null; display_name: string | null; claimed_at: Date | null;
      region: string | null; office: string | null;
    }>(
      `SELECT s.id, j.external_ref, s.kind, s.reasons, s.result->'match'->>'similarity' AS similarity, s.completed_at,
              s.claimed_by, u.display_name, s.claimed_at, a.region, a.office
         FROM submissions s JOIN subjects j ON j.id = s.subject_id LEFT JOIN staff_users u ON u.id = s.claimed_by
         LEFT JOIN subject_attributes a ON a.subject_id = s.subject_id
        WHERE ${WAITING} AND ($1::text IS NULL OR s.reasons ? $1) AND ($2::timestamptz IS NULL OR s.completed_at >= $2)
          AND ($3::timestamptz IS NULL OR s.completed_at < $3)
          AND ($5::text IS NULL OR a.region = $5) AND ($6::text IS NULL OR a.office = $6)
        ORDER BY s.completed_at, s.id LIMIT $4`,
      [f.reason ?? null, f.from ?? null, f.to ?? null, f.limit, f.region ?? null, f.office ?? null],
    );
    return rows.map((r) => ({
      submissionId: r.id, subjectRef: r.external_ref, kind: r.kind, reasons: r.reasons,
      similarity: r.similarity === null ? null : Number(r.similarity), completedAt: r.completed_at,
      claimedBy: r.claimed_by, claimedByName: r.display_name, claimedAt: r.claimed_at, region: r.region, office: r.office,
    }));
  }

  async countsByReason(): Promise<{ reason: string; count: number }[]> {
    return this.db.query<{ reason: string; count: number }>(
      `SELECT r AS reason, count(*)::int AS count FROM submissions s, jsonb_array_elements_text(s.reasons) r
        WHERE ${WAITING} GROUP BY r ORDER BY r`);
  }

  async claim(submissionId: string, staffId: string, at: Date, staleBefore: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions s SET claimed_by = $2, claimed_at = $3
        WHERE s.id = $1 AND ${WAITING} AND (s.claimed_by IS NULL OR s.claimed_by = $2 OR s.claimed_at < $4) RETURNING s.id`,
      [submissionId, staffId, at, staleBefore],
    );
    return rows.length === 1;
  }

  async decide(submissionId: string, staffId: string, decision: 'verified' | 'rejected', reasons: string[], review: ReviewRecord): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions s SET machine_decision = s.decision, decision = $3, reasons = $4, review = $5
        WHERE s.id = $1 AND ${WAITING} AND s.claimed_by = $2 RETURNING s.id`,
      [submissionId, staffId, decision, JSON.stringify(reasons), JSON.stringify(review)],
    );
    return rows.length === 1;
  }

  async claimOf(submissionId: string): Promise<CaseClaim | null> {
    const [row] = await this.db.query<{ claimed_by: string | null; claimed_at: Date | null }>(
      'SELECT claimed_by, claimed_at FROM submissions WHERE id = $1', [submissionId]);
    return row ? { claimedBy: row.claimed_by, claimedAt: row.claimed_at } : null;
  }

  async enrolmentsOfReferences(subjectId: string, templateIds: readonly string[]): Promise<string[]> {
    const rows = await this.db.query<{ submission_id: string }>(
      'SELECT DISTINCT submission_id FROM reference_templates WHERE id = ANY($1::uuid[]) AND subject_id = $2', [[...templateIds], subjectId]);
    return rows.map((r) => r.submission_id);
  }

  async sameSubject(submissionId: string, otherSubmissionId: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM submissions a JOIN submissions b ON a.subject_id = b.subject_id WHERE a.id = $1 AND b.id = $2', [submissionId, otherSubmissionId]);
    return rows.length === 1;
  }
}
