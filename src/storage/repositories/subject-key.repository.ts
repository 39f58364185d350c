import type { Queryable } from '../database/database.js';

/** Wrapped per-subject data keys. A destroyed key leaves the row (with its time) and no key material. */
export class SubjectKeyRepository {
  constructor(private readonly db: Queryable) {}

  async find(subjectId: string): Promise<{ wrappedKey: Buffer | null; destroyedAt: Date | null } | null> {
    const rows = await this.db.query<{ wrapped_key: Buffer | null; destroyed_at: Date | null }>(
      'SELECT wrapped_key, destroyed_at FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    const row = rows[0];
    return row ? { wrappedKey: row.wrapped_key, destroyedAt: row.destroyed_at } : null;
  }

  /** Crypto-shredding: the wrapped key is overwritten; every ciphertext under it becomes noise. */
  async destroy(subjectId: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO subject_keys (subject_id, wrapped_key, destroyed_at) VALUES ($1, NULL, $2)
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = COALESCE(subject_keys.destroyed_at, $2)`,
      [subjectId, at],
    );
  }

  /** Every live wrapped key, for master-key rotation. */
  async allLive(): Promise<{ subjectId: string; wrappedKey: Buffer }[]> {
    const rows = await this.db.query<{ subject_id: string; wrapped_key: Buffer }>(
      'SELECT subject_id, wrapped_key FROM subject_keys WHERE wrapped_key IS NOT NULL ORDER BY subject_id');
    return rows.map((r) => ({ subjectId: r.subject_id, wrappedKey: r.wrapped_key }));
  }

  async replace(subjectId: string, wrappedKey: Buffer): Promise<void> {
    await this.db.query('UPDATE subject_keys SET wrapped_key = $2 WHERE subject_id = $1 AND wrapped_key IS NOT NULL', [subjectId, wrappedKey]);
  }

  /** Inserts unless a key exists; returns the key that is stored, so concurrent creators agree. */
  async insertIfAbsent(subjectId: string, wrappedKey: Buffer): Promise<Buffer | null> {
    await this.db.query(
      'INSERT INTO subject_keys (subject_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING',
      [subjectId, wrappedKey],
    );
    return (await this.find(subjectId))?.wrappedKey ?? null;
  }
}
