import type { LegalHold } from '../../domain/retention/legal-hold.js';
import type { LegalHoldRepository } from '../../domain/retention/retention-ports.js';
import type { Queryable } from '../database/database.js';

interface Row { id: string; subject_id: string; reason: string; placed_by: string; placed_at: Date; released_at: Date | null; released_by: string | null }
const toHold = (r: Row): LegalHold => ({
  id: r.id, subjectId: r.subject_id, reason: r.reason, placedBy: r.placed_by, placedAt: r.placed_at, releasedAt: r.released_at, releasedBy: r.released_by,
});

export class SqlLegalHoldRepository implements LegalHoldRepository {
  constructor(private readonly db: Queryable) {}

  async insert(h: Omit<LegalHold, 'releasedAt' | 'releasedBy'>): Promise<void> {
    await this.db.query('INSERT INTO legal_holds (id, subject_id, reason, placed_by, placed_at) VALUES ($1,$2,$3,$4,$5)',
      [h.id, h.subjectId, h.reason, h.placedBy, h.placedAt]);
  }

  async release(subjectId: string, id: string, at: Date, by: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE legal_holds SET released_at = $3, released_by = $4 WHERE subject_id = $1 AND id = $2 AND released_at IS NULL RETURNING id',
      [subjectId, id, at, by]);
    return rows.length === 1;
  }

  async listForSubject(subjectId: string): Promise<LegalHold[]> {
    return (await this.db.query<Row>('SELECT * FROM legal_holds WHERE subject_id = $1 ORDER BY placed_at', [subjectId])).map(toHold);
  }

  async isHeld(subjectId: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM legal_holds WHERE subject_id = $1 AND released_at IS NULL LIMIT 1', [subjectId])).length > 0;
  }
}
