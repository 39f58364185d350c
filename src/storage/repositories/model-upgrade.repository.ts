import type { Queryable } from '../database/database.js';
import type {
  BatchState, ModelTarget, ModelUpgradeBatch, SubjectOutcome, SubjectState, UpgradeSubjectRow,
} from '../../domain/model-upgrade/model-upgrade.js';
import type { ModelUpgradeRepository, NewBatch, SubjectFinish } from '../../domain/model-upgrade/model-upgrade-ports.js';

interface BatchRow {
  id: string; target_model: string; target_version: string; state: BatchState; superseded_grace_days: number;
  cursor: string | null; fanout_done_at: Date | null; queued: number; re_extracted: number; marked_for_reenrolment: number;
  failed: number; skipped: number; created_at: Date; created_by: string; paused_at: Date | null; finished_at: Date | null;
  cancel_reason: string | null; last_error: string | null;
}

const toBatch = (r: BatchRow): ModelUpgradeBatch => ({
  id: r.id, target: { model: r.target_model, version: r.target_version }, state: r.state, supersededGraceDays: r.superseded_grace_days,
  cursor: r.cursor, fanoutDoneAt: r.fanout_done_at,
  counts: { queued: r.queued, reExtracted: r.re_extracted, markedForReenrolment: r.marked_for_reenrolment, failed: r.failed, skipped: r.skipped },
  createdAt: r.created_at, createdBy: r.created_by, pausedAt: r.paused_at, finishedAt: r.finished_at,
  cancelReason: r.cancel_reason, lastError: r.last_error,
});

/** The counter column of each outcome (a fixed map: never a caller's string in SQL). */
const COUNTER: Readonly<Record<SubjectOutcome, string>> = {
  re_extracted: 're_extracted', marked_for_reenrolment: 'marked_for_reenrolment', failed: 'failed', skipped: 'skipped',
};

/** Model upgrade batches, their cohort and the per-subject ledger that makes every step idempotent. */
export class SqlModelUpgradeRepository implements ModelUpgradeRepository {
  constructor(private readonly db: Queryable) {}

  /** false when another batch is still running or paused (the one-open index decides). */
  async insertBatch(b: NewBatch): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO model_upgrade_batches (id, target_model, target_version, state, superseded_grace_days, created_at, created_by)
       VALUES ($1,$2,$3,'running',$4,$5,$6) ON CONFLICT DO NOTHING RETURNING id`,
      [b.id, b.target.model, b.target.version, b.supersededGraceDays, b.createdAt, b.createdBy],
    );
    return rows.length === 1;
  }

  async findById(id: string, lock = false): Promise<ModelUpgradeBatch | null> {
    const rows = await this.db.query<BatchRow>(`SELECT * FROM model_upgrade_batches WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  async findOpen(): Promise<ModelUpgradeBatch | null> {
    const rows = await this.db.query<BatchRow>(`SELECT * FROM model_upgrade_batches WHERE state IN ('running','paused')`);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  async list(limit: number): Promise<ModelUpgradeBatch[]> {
    const rows = await this.db.query<BatchRow>('SELECT * FROM model_upgrade_batches ORDER BY created_at DESC, id LIMIT $1', [limit]);
    return rows.map(toBatch);
  }

  /** Moves to `to` only from one of `from`; null when refused. */
  async changeState(id: string, from: readonly BatchState[], to: BatchState, at: Date, extra: { cancelReason?: string; lastError?: string } = {}): Promise<ModelUpgradeBatch | null> {
    const rows = await this.db.query<BatchRow>(
      `UPDATE model_upgrade_batches SET state = $3::text,
         paused_at = CASE WHEN $3::text = 'paused' THEN $4::timestamptz ELSE NULL END,
         finished_at = CASE WHEN $3::text IN ('completed','cancelled') THEN $4::timestamptz ELSE finished_at END,
         cancel_reason = COALESCE($5::text, cancel_reason),
         last_error = CASE WHEN $3::text = 'running' THEN NULL ELSE COALESCE($6::text, last_error) END
       WHERE id = $1 AND state = ANY($2::text[]) RETURNING *`,
      [id, from, to, at, extra.cancelReason ?? null, extra.lastError ?? null],
    );
    return rows[0] ? toBatch(rows[0]) : null;
  }

  /**
   * A page of the cohort after `cursor`, in subject id order: active subjects not already marked for
   * re-enrolment who hold a usable template of another model (version) and none of the target.
   */
  async cohortPage(target: ModelTarget, cursor: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT s.id FROM subjects s
        WHERE s.status = 'active' AND s.reenrolment_required_at IS NULL AND ($3::uuid IS NULL OR s.id > $3::uuid)
          AND EXISTS (SELECT 1 FROM reference_templates t WHERE t.subject_id = s.id AND t.status IN ('active','pending_review')
                        AND t.deleted_at IS NULL AND t.embedding_enc IS NOT NULL AND NOT (t.model = $1 AND t.model_version = $2))
          AND NOT EXISTS (SELECT 1 FROM reference_templates t WHERE t.subject_id = s.id AND t.status IN ('active','pending_review')
                        AND t.deleted_at IS NULL AND t.model = $1 AND t.model_version = $2)
        ORDER BY s.id LIMIT $4`,
      [target.model, target.version, cursor, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Adds a page of subjects as pending; a page committed twice adds nothing. Returns how many are new. */
  async insertPending(batchId: string, subjectIds: readonly string[], at: Date): Promise<number> {
    const rows = await this.db.query(
      `INSERT INTO model_upgrade_subjects (batch_id, subject_id, state, queued_at)
       SELECT $1, id, 'pending', $3 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING subject_id`,
      [batchId, subjectIds, at],
    );
    return rows.length;
  }

  /** Moves the fan-out cursor; the guard on the old cursor makes a second runner fail instead of double counting. */
  async advance(batchId: string, from: string | null, to: string, queued: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE model_upgrade_batches SET cursor = $3, queued = queued + $4
        WHERE id = $1 AND cursor IS NOT DISTINCT FROM $2::uuid AND fanout_done_at IS NULL RETURNING id`,
      [batchId, from, to, queued],
    );
    return rows.length === 1;
  }

  async finishFanOut(batchId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE model_upgrade_batches SET fanout_done_at = COALESCE(fanout_done_at, $2) WHERE id = $1', [batchId, at]);
  }

  /** Pending subjects not yet handed to the queue, in subject order. */
  async undispatched(batchId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ subject_id: string }>(
      `SELECT subject_id FROM model_upgrade_subjects WHERE batch_id = $1 AND state = 'pending' AND enqueued_at IS NULL
        ORDER BY subject_id LIMIT $2`,
      [batchId, limit],
    );
    return rows.map((r) => r.subject_id);
  }

  async markEnqueued(batchId: string, subjectIds: readonly string[], at: Date): Promise<void> {
    await this.db.query(
      `UPDATE model_upgrade_subjects SET enqueued_at = $3 WHERE batch_id = $1 AND subject_id = ANY($2::uuid[]) AND state = 'pending'`,
      [batchId, subjectIds, at],
    );
  }

  /** Pending subjects go back to the database outbox (their jobs were lost, or the batch was paused). */
  async resetEnqueued(batchId: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE model_upgrade_subjects SET enqueued_at = NULL WHERE batch_id = $1 AND state = 'pending' AND enqueued_at IS NOT NULL RETURNING subject_id`,
      [batchId],
    );
    return rows.length;
  }

  async subjectState(batchId: string, subjectId: string): Promise<SubjectState | null> {
    const rows = await this.db.query<{ state: SubjectState }>(
      'SELECT state FROM model_upgrade_subjects WHERE batch_id = $1 AND subject_id = $2', [batchId, subjectId]);
    return rows[0]?.state ?? null;
  }

  /**
   * Records a subject's outcome and counts it, once: only a pending row moves, so a second runner of
   * the same subject (a job taken over while the first was only slow) gets false and must roll back.
   */
  async finishSubject(batchId: string, subjectId: string, r: SubjectFinish): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE model_upgrade_subjects SET state = $3, reason = $4, templates = $5, finished_at = $6
        WHERE batch_id = $1 AND subject_id = $2 AND state = 'pending' RETURNING subject_id`,
      [batchId, subjectId, r.outcome, r.reason, r.templates, r.at],
    );
    if (rows.length !== 1) return false;
    const column = COUNTER[r.outcome];
    await this.db.query(`UPDATE model_upgrade_batches SET ${column} = ${column} + 1 WHERE id = $1`, [batchId]);
    return true;
  }

  /** running → completed once the fan-out is done and no subject is pending; false when not (yet). */
  async completeIfDrained(batchId: string, at: Date): Promise<ModelUpgradeBatch | null> {
    const rows = await this.db.query<BatchRow>(
      `UPDATE model_upgrade_batches b SET state = 'completed', finished_at = $2
        WHERE b.id = $1 AND b.state = 'running' AND b.fanout_done_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM model_upgrade_subjects u WHERE u.batch_id = b.id AND u.state = 'pending')
        RETURNING *`,
      [batchId, at],
    );
    return rows[0] ? toBatch(rows[0]) : null;
  }

  /** A page of a batch's subjects with their pension numbers, in subject id order after `after`. */
  async subjects(batchId: string, q: { state?: SubjectState; after: string | null; limit: number }): Promise<UpgradeSubjectRow[]> {
    const rows = await this.db.query<{ subject_id: string; external_ref: string; state: SubjectState; reason: string | null; templates: number; finished_at: Date | null }>(
      `SELECT u.subject_id, s.external_ref, u.state, u.reason, u.templates, u.finished_at
         FROM model_upgrade_subjects u JOIN subjects s ON s.id = u.subject_id
        WHERE u.batch_id = $1 AND ($2::text IS NULL OR u.state = $2) AND ($3::uuid IS NULL OR u.subject_id > $3::uuid)
        ORDER BY u.subject_id LIMIT $4`,
      [batchId, q.state ?? null, q.after, q.limit],
    );
    return rows.map((r) => ({
      subjectId: r.subject_id, pensionNumber: r.external_ref, state: r.state, reason: r.reason, templates: r.templates, finishedAt: r.finished_at,
    }));
  }
}
