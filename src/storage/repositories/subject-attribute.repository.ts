import type { Queryable } from '../database/database.js';
import type { SubjectAttributes } from '../../domain/campaigns/campaign.js';
import type { SubjectAttributeRepository } from '../../domain/campaigns/campaign-ports.js';

/** Cohort attributes of subjects (subject_attributes). */
export class SqlSubjectAttributeRepository implements SubjectAttributeRepository {
  constructor(private readonly db: Queryable) {}

  async upsert(subjectId: string, a: SubjectAttributes): Promise<void> {
    await this.db.query(
      `INSERT INTO subject_attributes (subject_id, region, office, birth_year, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (subject_id) DO UPDATE SET region = EXCLUDED.region, office = EXCLUDED.office, birth_year = EXCLUDED.birth_year,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [subjectId, a.region, a.office, a.birthYear, a.updatedAt, a.updatedBy],
    );
  }

  async find(subjectId: string): Promise<SubjectAttributes | null> {
    const rows = await this.db.query<{ region: string | null; office: string | null; birth_year: number | null; updated_at: Date; updated_by: string }>(
      'SELECT region, office, birth_year, updated_at, updated_by FROM subject_attributes WHERE subject_id = $1', [subjectId]);
    const r = rows[0];
    return r ? { region: r.region, office: r.office, birthYear: r.birth_year, updatedAt: r.updated_at, updatedBy: r.updated_by } : null;
  }
}
