import type { Queryable } from '../database/database.js';
import type { ItemClass, StoredItem } from '../../domain/retention/stored-item.js';

interface Row {
  id: string; subject_id: string; submission_id: string | null; item_class: ItemClass; role: string | null;
  blob_key: string | null; template_id: string | null; policy: string; delete_at: Date | null;
  delete_condition: string | null; created_at: Date; deleted_at: Date | null;
}

const toItem = (r: Row): StoredItem => ({
  id: r.id, subjectId: r.subject_id, submissionId: r.submission_id, itemClass: r.item_class, role: r.role,
  blobKey: r.blob_key, templateId: r.template_id, policy: r.policy, deleteAt: r.delete_at,
  deleteCondition: r.delete_condition, createdAt: r.created_at, deletedAt: r.deleted_at,
});

/** The retention ledger. */
export class StoredItemRepository {
  constructor(private readonly db: Queryable) {}

  async insert(item: Omit<StoredItem, 'deletedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO stored_items (id, subject_id, submission_id, item_class, role, blob_key, template_id, policy,
         delete_at, delete_condition, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (id) DO NOTHING`,
      [item.id, item.subjectId, item.submissionId, item.itemClass, item.role, item.blobKey, item.templateId,
        item.policy, item.deleteAt, item.deleteCondition, item.createdAt],
    );
  }

  async listForSubmission(submissionId: string): Promise<StoredItem[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM stored_items WHERE submission_id = $1 ORDER BY created_at, item_class',
      [submissionId],
    );
    return rows.map(toItem);
  }

  /** Brings forward the deletion of a subject's live biometric items (images, templates) to `at`. */
  async scheduleBiometrics(subjectId: string, at: Date, policy: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE stored_items SET delete_at = LEAST(COALESCE(delete_at, $2), $2), policy = $3, delete_condition = NULL
        WHERE subject_id = $1 AND deleted_at IS NULL
          AND item_class IN ('selfie_image','document_image','reference_template') RETURNING id`,
      [subjectId, at, policy],
    );
    return rows.length;
  }

  /** Marks a subject's biometric items deleted now; returns their blob keys so the files can go too. */
  async markBiometricsDeleted(subjectId: string, at: Date, policy: string): Promise<string[]> {
    const rows = await this.db.query<{ blob_key: string | null }>(
      `UPDATE stored_items SET deleted_at = $2, delete_at = LEAST(COALESCE(delete_at, $2), $2), policy = $3, delete_condition = NULL
        WHERE subject_id = $1 AND deleted_at IS NULL AND item_class IN ('selfie_image','document_image','reference_template')
        RETURNING blob_key`,
      [subjectId, at, policy],
    );
    return rows.map((r) => r.blob_key).filter((k): k is string => k !== null);
  }

  /** Live items of a subject, for the access report. */
  async listForSubject(subjectId: string): Promise<StoredItem[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM stored_items WHERE subject_id = $1 ORDER BY created_at, item_class',
      [subjectId],
    );
    return rows.map(toItem);
  }

  /** Re-times the live items of one class of a submission (e.g. images once the decision is known). */
  async reschedule(submissionId: string, itemClass: ItemClass, deleteAt: Date, policy: string): Promise<void> {
    await this.db.query(
      `UPDATE stored_items SET delete_at = $3, policy = $4
        WHERE submission_id = $1 AND item_class = $2 AND deleted_at IS NULL`,
      [submissionId, itemClass, deleteAt, policy],
    );
  }
}
