import type { Queryable } from '../database/database.js';
import type { Subject, SubjectStatus } from '../../domain/subjects/subject.js';

interface Row {
  id: string; external_ref: string; status: SubjectStatus; has_passport: boolean;
  enrolled_at: Date | null; created_at: Date;
}

const COLUMNS = 'id, external_ref, status, passport_enc IS NOT NULL AS has_passport, enrolled_at, created_at';

const toSubject = (r: Row): Subject => ({
  id: r.id, ref: r.external_ref, status: r.status, hasPassport: r.has_passport,
  enrolledAt: r.enrolled_at, createdAt: r.created_at,
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

  async markEnrolled(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE subjects SET enrolled_at = COALESCE(enrolled_at, $2), updated_at = $2 WHERE id = $1', [id, at]);
  }
}
