import type { Queryable } from '../database/database.js';
import type { Subject, SubjectStatus } from '../../domain/subjects/subject.js';

interface Row {
  id: string; external_ref: string; status: SubjectStatus; has_passport: boolean; language: Subject['language'];
  enrolled_at: Date | null; created_at: Date; erased_at: Date | null; reenrolment_required_at: Date | null; reenrolment_reason: string | null;
}

const COLUMNS = 'id, external_ref, status, passport_enc IS NOT NULL AS has_passport, language, enrolled_at, created_at, erased_at, reenrolment_required_at, reenrolment_reason';

const toSubject = (r: Row): Subject => ({
  id: r.id, ref: r.external_ref, status: r.status, hasPassport: r.has_passport, language: r.language,
  enrolledAt: r.enrolled_at, createdAt: r.created_at, erasedAt: r.erased_at,
  reenrolment: r.reenrolment_required_at ? { requiredAt: r.reenrolment_required_at, reason: r.reenrolment_reason ?? 'unknown' } : null,
});

export class SubjectRepository {
  constructor(private readonly db: Queryable) {}

  /** Returns false when the reference is taken (the unique constraint decides, not a prior read). */
  async insert(s: { id: string; ref: string; createdAt: Date }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO subjects (id, external_ref, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (external_ref) DO NOTHING RETURNING id`,
      [s.id, s.ref, s.createdAt],
    );
    return rows.length === 1;
  }

  async findByRef(ref: string): Promise<Subject | null> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM subjects WHERE external_ref = $1`, [ref]);
    return rows[0] ? toSubject(rows[0]) : null;
  }

  async findById(id: string): Promise<Subject | null> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM subjects WHERE id = $1`, [id]);
    return rows[0] ? toSubject(rows[0]) : null;
  }

  async setPassport(id: string, sealedPassport: Buffer, at: Date): Promise<void> {
    await this.db.query('UPDATE subjects SET passport_enc = $2, updated_at = $3 WHERE id = $1', [id, sealedPassport, at]);
  }

  async getSealedPassport(id: string): Promise<Buffer | null> {
    const rows = await this.db.query<{ passport_enc: Buffer | null }>('SELECT passport_enc FROM subjects WHERE id = $1', [id]);
    return rows[0]?.passport_enc ?? null;
  }

  /** Erasure (Art. 20): identity fields destroyed, the row kept as the anchor of decisions and consents. */
  async markErased(id: string, at: Date, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET status = 'erased', passport_enc = NULL, erased_at = $2, erasure_reason = $3, updated_at = $2 WHERE id = $1`,
      [id, at, reason],
    );
  }

  async insertCorrection(c: { id: string; subjectId: string; fields: readonly string[]; reason: string; actor: string; at: Date }): Promise<void> {
    await this.db.query(
      'INSERT INTO subject_corrections (id, subject_id, fields, reason, actor, corrected_at) VALUES ($1,$2,$3,$4,$5,$6)',
      [c.id, c.subjectId, JSON.stringify(c.fields), c.reason, c.actor, c.at],
    );
  }

  async listCorrections(subjectId: string): Promise<{ fields: string[]; reason: string; actor: string; at: Date }[]> {
    const rows = await this.db.query<{ fields: string[]; reason: string; actor: string; corrected_at: Date }>(
      'SELECT fields, reason, actor, corrected_at FROM subject_corrections WHERE subject_id = $1 ORDER BY corrected_at',
      [subjectId],
    );
    return rows.map((r) => ({ fields: r.fields, reason: r.reason, actor: r.actor, at: r.corrected_at }));
  }

  async setLanguage(id: string, language: string): Promise<void> {
    await this.db.query('UPDATE subjects SET language = $2 WHERE id = $1', [id, language]);
  }

  /** A verified enrolment: also clears a re-enrolment request, since the subject has fresh references now. */
  async markEnrolled(id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET enrolled_at = COALESCE(enrolled_at, $2), reenrolment_required_at = NULL, reenrolment_reason = NULL, updated_at = $2
        WHERE id = $1`,
      [id, at],
    );
  }

  /** No reference could be carried over to a new model: the subject must enrol again (first request kept). */
  async markReenrolmentRequired(id: string, at: Date, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET reenrolment_required_at = COALESCE(reenrolment_required_at, $2),
         reenrolment_reason = COALESCE(reenrolment_reason, $3), updated_at = $2 WHERE id = $1`,
      [id, at, reason],
    );
  }
}
