import type { Queryable } from '../database/database.js';
import type { ChallengeAction, LivenessChallenge } from '../../domain/liveness/challenge.js';
import type { NonceState } from '../../domain/liveness/challenge-verification.js';
import type { LivenessChallengeRepository, SubmissionLiveness } from '../../domain/liveness/liveness-ports.js';

interface Row {
  id: string; subject_id: string; nonce_hash: string; actions: ChallengeAction[]; issued_at: Date; expires_at: Date;
  used_at: Date | null; used_by_submission: string | null;
}
const toChallenge = (r: Row): LivenessChallenge => ({
  id: r.id, subjectId: r.subject_id, actions: r.actions, nonceHash: r.nonce_hash, issuedAt: r.issued_at,
  expiresAt: r.expires_at, usedAt: r.used_at, usedBySubmission: r.used_by_submission,
});

/** Liveness challenges and their single use. */
export class SqlLivenessChallengeRepository implements LivenessChallengeRepository {
  constructor(private readonly db: Queryable) {}

  async insert(c: LivenessChallenge, issuedBy: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO liveness_challenges (id, subject_id, nonce_hash, actions, issued_at, expires_at, issued_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.id, c.subjectId, c.nonceHash, JSON.stringify(c.actions), c.issuedAt, c.expiresAt, issuedBy],
    );
  }

  async findById(id: string): Promise<LivenessChallenge | null> {
    const rows = await this.db.query<Row>('SELECT * FROM liveness_challenges WHERE id = $1', [id]);
    return rows[0] ? toChallenge(rows[0]) : null;
  }

  // One UPDATE decides, so two uploads racing with one nonce cannot both get 'ok'.
  async redeem(nonceHash: string, subjectId: string, submissionId: string, at: Date): Promise<{ state: NonceState; challenge: LivenessChallenge | null }> {
    const spent = await this.db.query<Row>(
      `UPDATE liveness_challenges SET used_at = $2, used_by_submission = $3
        WHERE nonce_hash = $1 AND used_at IS NULL RETURNING *`,
      [nonceHash, at, submissionId],
    );
    const row = spent[0];
    if (row) {
      const challenge = toChallenge(row);
      if (challenge.subjectId !== subjectId) return { state: 'wrong_subject', challenge };
      if (at.getTime() > challenge.expiresAt.getTime()) return { state: 'expired', challenge };
      return { state: 'ok', challenge };
    }
    const earlier = await this.db.query<Row>('SELECT * FROM liveness_challenges WHERE nonce_hash = $1', [nonceHash]);
    return earlier[0] ? { state: 'used', challenge: toChallenge(earlier[0]) } : { state: 'unknown', challenge: null };
  }

  async recordSubmission(s: SubmissionLiveness): Promise<void> {
    await this.db.query(
      `INSERT INTO submission_liveness (submission_id, subject_id, challenge_id, nonce_state, frame_count, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.submissionId, s.subjectId, s.challengeId, s.nonceState, s.frameCount, s.createdAt],
    );
  }

  async forSubmission(submissionId: string): Promise<SubmissionLiveness | null> {
    const rows = await this.db.query<{
      submission_id: string; subject_id: string; challenge_id: string | null; nonce_state: NonceState; frame_count: number; created_at: Date;
    }>('SELECT * FROM submission_liveness WHERE submission_id = $1', [submissionId]);
    const r = rows[0];
    return r ? {
      submissionId: r.submission_id, subjectId: r.subject_id, challengeId: r.challenge_id, nonceState: r.nonce_state,
      frameCount: r.frame_count, createdAt: r.created_at,
    } : null;
  }

  /** Erasure: challenges hold no biometric data, but they are the subject's; nothing of them need outlive it. */
  async deleteForSubject(subjectId: string): Promise<void> {
    await this.db.query('DELETE FROM submission_liveness WHERE subject_id = $1', [subjectId]);
    await this.db.query('DELETE FROM liveness_challenges WHERE subject_id = $1', [subjectId]);
  }
}
