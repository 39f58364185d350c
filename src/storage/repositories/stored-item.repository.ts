import type { Queryable } from '../database/database.js';
import type { LiveTimer, PolicyItem, RetentionChange, StoredItemRepository } from '../../domain/retention/retention-ports.js';
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
export class SqlStoredItemRepository implements StoredItemRepository {
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

  async findById(id: string): Promise<StoredItem | null> {
    const [row] = await this.db.query<Row>('SELECT * FROM stored_items WHERE id = $1', [id]);
    return row ? toItem(row) : null;
  }

  /** One item, locked for the rest of the transaction so that two purgers cannot both act on it. */
  async lockById(id: string): Promise<StoredItem | null> {
    const [row] = await this.db.query<Row>('SELECT * FROM stored_items WHERE id = $1 FOR UPDATE', [id]);
    return row ? toItem(row) : null;
  }

  async markDeleted(id: string, at: Date): Promise<boolean> {
    return (await this.db.query('UPDATE stored_items SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING id', [id, at])).length === 1;
  }

  /** Items past their time and not under a legal hold, oldest deadline first. */
  async findDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT i.id FROM stored_items i
        WHERE i.deleted_at IS NULL AND i.delete_at <= $1
          AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = i.subject_id AND h.released_at IS NULL)
        ORDER BY i.delete_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Overdue and not held: the figure that must always be 0 after a sweep. */
  async countOverdue(now: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stored_items i WHERE i.deleted_at IS NULL AND i.delete_at <= $1
         AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = i.subject_id AND h.released_at IS NULL)`,
      [now],
    );
    return row?.n ?? 0;
  }

  /** Live timers of a submission or a subject, for (re)scheduling the purge jobs. */
  async liveTimers(scope: { submissionId: string } | { subjectId: string }): Promise<LiveTimer[]> {
    const [column, value] = 'submissionId' in scope ? ['submission_id', scope.submissionId] : ['subject_id', scope.subjectId];
    const rows = await this.db.query<{ id: string; delete_at: Date }>(
      `SELECT id, delete_at FROM stored_items WHERE ${column} = $1 AND deleted_at IS NULL AND delete_at IS NOT NULL`,
      [value],
    );
    return rows.map((r) => ({ id: r.id, deleteAt: r.delete_at }));
  }

  /** A page of live items in id order, with the time their term runs from (the decision, else the upload). */
  async livePolicyItems(afterId: string, limit: number): Promise<PolicyItem[]> {
    const rows = await this.db.query<Row & { anchor: Date }>(
      `SELECT i.*, COALESCE(s.completed_at, i.created_at) AS anchor FROM stored_items i
         LEFT JOIN submissions s ON s.id = i.submission_id
        WHERE i.deleted_at IS NULL AND i.id > $1 ORDER BY i.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({ ...toItem(r), anchor: r.anchor }));
  }

  async setTimer(id: string, deleteAt: Date | null, policy: string): Promise<void> {
    await this.db.query('UPDATE stored_items SET delete_at = $2, policy = $3 WHERE id = $1 AND deleted_at IS NULL', [id, deleteAt, policy]);
  }

  async recordChange(c: RetentionChange): Promise<void> {
    await this.db.query(
      `INSERT INTO retention_changes (id, item_id, old_delete_at, new_delete_at, old_policy, new_policy, reason, changed_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [c.id, c.itemId, c.oldDeleteAt, c.newDeleteAt, c.oldPolicy, c.newPolicy, c.reason, c.at],
    );
  }

  /** Brings the deletion of a submission's template items forward to `at` (a rejected enrolment keeps none). */
  async scheduleTemplatesOf(submissionId: string, at: Date, policy: string): Promise<void> {
    await this.db.query(
      `UPDATE stored_items SET delete_at = $2, policy = $3, delete_condition = NULL
        WHERE submission_id = $1 AND item_class = 'reference_template' AND deleted_at IS NULL`,
      [submissionId, at, policy],
    );
  }

  /** The retention entry of one reference template. */
  async findForTemplate(templateId: string): Promise<StoredItem | null> {
    const [row] = await this.db.query<Row>(
      `SELECT * FROM stored_items WHERE template_id = $1 AND item_class = 'reference_template' ORDER BY created_at LIMIT 1`, [templateId]);
    return row ? toItem(row) : null;
  }

  /** A new deadline by a rule of its own (no longer waiting for an event), e.g. a superseded template's grace. */
  async retime(id: string, deleteAt: Date, policy: string): Promise<void> {
    await this.db.query(
      'UPDATE stored_items SET delete_at = $2, policy = $3, delete_condition = NULL WHERE id = $1 AND deleted_at IS NULL', [id, deleteAt, policy]);
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
