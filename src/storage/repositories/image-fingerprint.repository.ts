import type { ImageFingerprintRepository, StoredFingerprint } from '../../domain/liveness/liveness-ports.js';
import type { Queryable } from '../database/database.js';

interface Row { id: string; subject_id: string; submission_id: string; role: string; phash: string; sha256: string; created_at: Date }
const toFingerprint = (r: Row): StoredFingerprint => ({
  id: r.id, subjectId: r.subject_id, submissionId: r.submission_id, role: r.role, phash: r.phash, sha256: r.sha256, createdAt: r.created_at,
});

/** The four 16-bit parts of a 64-bit hash: two hashes within 3 bits share at least one part (pigeonhole). */
export function hashParts(phash: string): [number, number, number, number] {
  return [0, 4, 8, 12].map((k) => Number.parseInt(phash.slice(k, k + 4), 16)) as [number, number, number, number];
}

/** Perceptual fingerprints of submitted images, for replay and reuse checks. */
export class SqlImageFingerprintRepository implements ImageFingerprintRepository {
  constructor(private readonly db: Queryable) {}

  async insert(f: StoredFingerprint): Promise<void> {
    const [p0, p1, p2, p3] = hashParts(f.phash);
    await this.db.query(
      `INSERT INTO image_fingerprints (id, subject_id, submission_id, role, phash, p0, p1, p2, p3, sha256, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (submission_id, role) DO NOTHING`,
      [f.id, f.subjectId, f.submissionId, f.role, f.phash, p0, p1, p2, p3, f.sha256, f.createdAt],
    );
  }

  async earlierForSubject(subjectId: string, excludeSubmissionId: string, limit = 1000): Promise<StoredFingerprint[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM image_fingerprints WHERE subject_id = $1 AND submission_id <> $2 ORDER BY created_at DESC LIMIT $3`,
      [subjectId, excludeSubmissionId, limit],
    );
    return rows.map(toFingerprint);
  }

  async deleteForSubject(subjectId: string): Promise<void> {
    await this.db.query('DELETE FROM image_fingerprints WHERE subject_id = $1', [subjectId]);
  }

  /** Retention: a submission's fingerprints go with its result (replay is checked against what is still held). */
  async deleteForSubmission(submissionId: string): Promise<void> {
    await this.db.query('DELETE FROM image_fingerprints WHERE submission_id = $1', [submissionId]);
  }

  /** Retention: fingerprints go with the results they belong to. */
  async deleteOlderThan(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM image_fingerprints WHERE created_at < $1 RETURNING id', [before])).length;
  }
}
