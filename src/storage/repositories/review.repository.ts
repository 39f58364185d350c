import type { Queryable } from '../database/database.js';
import type { ReferenceApproval } from '../../domain/submissions/submission.js';

/** One waiting case in the review queue. */
export interface QueueEntry {
  readonly submissionId: string;
  readonly subjectRef: string;
  readonly kind: 'enrollment' | 'verification';
  readonly reasons: string[];
  readonly similarity: number | null;
  readonly completedAt: Date;
  readonly claimedBy: string | null;
  readonly claimedByName: string | null;
  readonly claimedAt: Date | null;
  readonly region: string | null;
  readonly office: string | null;
}

export interface QueueFilter {
  readonly reason?: string;
  /** The subject's region or office (set through the subject attributes route). */
  readonly region?: string;
  readonly office?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
}

/** A person's decision on a case. */
export interface ReviewRecord {
  readonly outcome: 'approve' | 'reject' | 'recapture';
  readonly reasonCode: string;
  readonly comment: string;
  readonly by: string;
  readonly byName: string;
  readonly at: string;
  /** Set when the reviewer asked to keep an approved proof of life's selfie as a reference: what became of it. */
  readonly referenceApproval?: ReferenceApproval;
}

const WAITING = `s.decision = 'needs_review' AND s.review IS NULL`;

/** The review queue and case decisions over the submissions table. */
export class ReviewRepository {
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

  /** Waiting cases per reason code, for the queue's filter counts. */
  async countsByReason(): Promise<{ reason: string; count: number }[]> {
    return this.db.query<{ reason: string; count: number }>(
      `SELECT r AS reason, count(*)::int AS count FROM submissions s, jsonb_array_elements_text(s.reasons) r
        WHERE ${WAITING} GROUP BY r ORDER BY r`);
  }

  /** Claims a waiting case for one reviewer; a claim older than `staleBefore` may be taken over. */
  async claim(submissionId: string, staffId: string, at: Date, staleBefore: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions s SET claimed_by = $2, claimed_at = $3
        WHERE s.id = $1 AND ${WAITING} AND (s.claimed_by IS NULL OR s.claimed_by = $2 OR s.claimed_at < $4) RETURNING s.id`,
      [submissionId, staffId, at, staleBefore],
    );
    return rows.length === 1;
  }

  /** Records the person's decision on a case they hold; false if it is not theirs or no longer waiting. */
  async decide(submissionId: string, staffId: string, decision: 'verified' | 'rejected', reasons: string[], review: ReviewRecord): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE submissions s SET machine_decision = s.decision, decision = $3, reasons = $4, review = $5
        WHERE s.id = $1 AND ${WAITING} AND s.claimed_by = $2 RETURNING s.id`,
      [submissionId, staffId, decision, JSON.stringify(reasons), JSON.stringify(review)],
    );
    return rows.length === 1;
  }
}
