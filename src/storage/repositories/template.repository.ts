import type { GalleryReference, StoredTemplate, TemplateStatus } from '../../domain/verification/template.js';
import type { TemplateRepository } from '../../domain/verification/verification-ports.js';
import type { TemplateRecord } from '../../domain/rights/rights-ports.js';
import type { Queryable } from '../database/database.js';

interface Row {
  id: string; subject_id: string; submission_id: string; source: 'selfie' | 'document'; model: string;
  model_version: string; status: TemplateStatus; embedding_enc: Buffer; face_score: number; created_at: Date;
}

const toTemplate = (r: Row): StoredTemplate => ({
  id: r.id, subjectId: r.subject_id, submissionId: r.submission_id, source: r.source, model: r.model,
  modelVersion: r.model_version, status: r.status, sealedEmbedding: r.embedding_enc, faceScore: r.face_score,
  createdAt: r.created_at,
});

export class SqlTemplateRepository implements TemplateRepository {
  constructor(private readonly db: Queryable) {}

  async insert(t: StoredTemplate): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO reference_templates
         (id, subject_id, submission_id, source, model, model_version, status, embedding_enc, face_score, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (submission_id, source, model, model_version) DO NOTHING RETURNING id`,
      [t.id, t.subjectId, t.submissionId, t.source, t.model, t.modelVersion, t.status, t.sealedEmbedding, t.faceScore, t.createdAt],
    );
    return rows.length === 1;
  }

  /** Live templates of a subject for one model, newest first: the subject's gallery. */
  async findActive(subjectId: string, model: string): Promise<GalleryReference[]> {
    return this.gallery(subjectId, model, 'active');
  }

  /**
   * References of `model` that a model upgrade superseded but whose embeddings are still held (its grace period):
   * until the office switches its workers to the new model, they keep verifying the subjects already upgraded.
   */
  async findSupersededHeld(subjectId: string, model: string): Promise<GalleryReference[]> {
    return this.gallery(subjectId, model, 'superseded');
  }

  private async gallery(subjectId: string, model: string, status: 'active' | 'superseded'): Promise<GalleryReference[]> {
    const rows = await this.db.query<Row & { kind: 'enrollment' | 'verification' }>(
      `SELECT t.*, s.kind FROM reference_templates t JOIN submissions s ON s.id = t.submission_id
        WHERE t.subject_id = $1 AND t.model = $2 AND t.status = $3 AND t.deleted_at IS NULL AND t.embedding_enc IS NOT NULL
        ORDER BY t.created_at DESC, t.source`,
      [subjectId, model, status],
    );
    return rows.map((r) => ({ ...toTemplate(r), origin: r.source === 'document' ? 'document' : r.kind }));
  }

  /**
   * A proof-of-life reference leaves the gallery for a newer one: its embedding goes at once (the row, with model
   * and time, stays for the record). False when it had already left.
   */
  async retire(id: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE reference_templates SET embedding_enc = NULL, status = 'retired', deleted_at = $2
        WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id, at],
    );
    return rows.length === 1;
  }

  /** Takes every live template of a subject out of use (consent withdrawn): none is compared again. */
  async withdrawAll(subjectId: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE reference_templates SET status = 'withdrawn' WHERE subject_id = $1 AND status <> 'withdrawn' AND deleted_at IS NULL RETURNING id`,
      [subjectId],
    );
    return rows.length;
  }

  /** Erasure: the sealed embeddings are dropped, the rows (model, time, score) stay for the decision record. */
  async destroyAll(subjectId: string, at: Date): Promise<number> {
    const rows = await this.db.query(
      `UPDATE reference_templates SET embedding_enc = NULL, status = 'withdrawn', deleted_at = COALESCE(deleted_at, $2)
        WHERE subject_id = $1 AND (embedding_enc IS NOT NULL OR deleted_at IS NULL) RETURNING id`,
      [subjectId, at],
    );
    return rows.length;
  }

  /** Every template of a subject, destroyed ones included, named by where it came from (the access report). */
  async historyForSubject(subjectId: string): Promise<TemplateRecord[]> {
    const rows = await this.db.query<{ source: string; model: string; status: string; created_at: Date; deleted_at: Date | null }>(
      `SELECT CASE WHEN t.source = 'document' THEN 'document' ELSE s.kind END AS source, t.model, t.status, t.created_at, t.deleted_at
         FROM reference_templates t JOIN submissions s ON s.id = t.submission_id WHERE t.subject_id = $1 ORDER BY t.created_at, t.source`,
      [subjectId],
    );
    return rows.map((r) => ({ source: r.source, model: r.model, status: r.status, createdAt: r.created_at, deletedAt: r.deleted_at }));
  }

  /** Purges one template: the sealed embedding goes, the row (model, time) stays for the record. */
  async destroyOne(id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE reference_templates SET embedding_enc = NULL, status = 'withdrawn', deleted_at = COALESCE(deleted_at, $2) WHERE id = $1`,
      [id, at],
    );
  }

  /** A reviewer's word on an enrolment: its pending templates become active, or leave use. */
  async settlePending(submissionId: string, approve: boolean): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE reference_templates SET status = $2 WHERE submission_id = $1 AND status = 'pending_review' RETURNING id`,
      [submissionId, approve ? 'active' : 'withdrawn'],
    );
    return rows.map((r) => r.id);
  }

  /** Templates in use or awaiting review (any model), oldest first: what a model upgrade may replace. */
  async findUsable(subjectId: string): Promise<StoredTemplate[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM reference_templates WHERE subject_id = $1 AND status IN ('active','pending_review')
         AND deleted_at IS NULL AND embedding_enc IS NOT NULL ORDER BY created_at, source`,
      [subjectId],
    );
    return rows.map(toTemplate);
  }

  /** A model upgrade replaced it; false when it is no longer in `from` (withdrawn or reviewed meanwhile). */
  async supersede(id: string, from: TemplateStatus): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE reference_templates SET status = 'superseded' WHERE id = $1 AND status = $2 AND deleted_at IS NULL RETURNING id`,
      [id, from],
    );
    return rows.length === 1;
  }

  /** When the newest reference in use was taken (any model); null when none is in use. */
  async newestActiveAt(subjectId: string): Promise<Date | null> {
    const rows = await this.db.query<{ at: Date | null }>(
      `SELECT max(created_at) AS at FROM reference_templates WHERE subject_id = $1 AND status = 'active' AND deleted_at IS NULL`,
      [subjectId],
    );
    return rows[0]?.at ?? null;
  }

  async countActive(subjectId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reference_templates WHERE subject_id = $1 AND status = 'active' AND deleted_at IS NULL`,
      [subjectId],
    );
    return rows[0]?.n ?? 0;
  }
}
