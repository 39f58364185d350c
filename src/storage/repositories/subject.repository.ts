import type { Queryable } from '../database/database.js';
import type { ErasedSubject } from '../../domain/rights/rights-ports.js';
import type { SubjectCorrection, SubjectRepository } from '../../domain/subjects/subject-ports.js';
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

export class SqlSubjectRepository implements SubjectRepository {
  constructor(private readonly db: Queryable) {}

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

  async markErased(id: string, at: Date, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET status = 'erased', passport_enc = NULL, erased_at = $2, erasure_reason = $3, updated_at = $2 WHERE id = $1`,
      [id, at, reason],
    );
  }

  async insertCorrection(c: SubjectCorrection & { id: string; subjectId: string }): Promise<void> {
    await this.db.query(
      'INSERT INTO subject_corrections (id, subject_id, fields, reason, actor, corrected_at) VALUES ($1,$2,$3,$4,$5,$6)',
      [c.id, c.subjectId, JSON.stringify(c.fields), c.reason, c.actor, c.at],
    );
  }

  /** Every erased subject, for checking the erasure ledger against the database. */
  async listErased(): Promise<ErasedSubject[]> {
    const rows = await this.db.query<{ id: string; erased_at: Date; erasure_reason: string }>(
      `SELECT id, erased_at, erasure_reason FROM subjects WHERE status = 'erased' ORDER BY erased_at, id`);
    return rows.map((r) => ({ id: r.id, erasedAt: r.erased_at, reason: r.erasure_reason }));
  }

  async listCorrections(subjectId: string): Promise<SubjectCorrection[]> {
    const rows = await this.db.query<{ fields: string[]; reason: string; actor: string; corrected_at: Date }>(
      'SELECT fields, reason, actor, corrected_at FROM subject_corrections WHERE subject_id = $1 ORDER BY corrected_at',
      [subjectId],
    );
    return rows.map((r) => ({ fields: r.fields, reason: r.reason, actor: r.actor, at: r.corrected_at }));
  }

  async setLanguage(id: string, language: Subject['language']): Promise<void> {
    await this.db.query('UPDATE subjects SET language = $2 WHERE id = $1', [id, language]);
  }

  async markEnrolled(id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET enrolled_at = COALESCE(enrolled_at, $2), reenrolment_required_at = NULL, reenrolment_reason = NULL, updated_at = $2
        WHERE id = $1`,
      [id, at],
    );
  }

  async markReenrolmentRequired(id: string, at: Date, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE subjects SET reenrolment_required_at = COALESCE(reenrolment_required_at, $2),
         reenrolment_reason = COALESCE(reenrolment_reason, $3), updated_at = $2 WHERE id = $1`,
      [id, at, reason],
    );
  }
}
