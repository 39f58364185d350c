import type { ActivationCode, DeviceCredential } from '../../domain/devices/device-credential.js';
import type { DeviceCredentialRepository, EnrolmentOutcomes } from '../../domain/devices/device-ports.js';
import type { Queryable } from '../database/database.js';

interface CredentialRow {
  id: string; subject_id: string; secret_hash: string; label: string | null; issued_via: DeviceCredential['issuedVia']; issued_by: string;
  enrollment_submission_id: string | null; created_at: Date; activated_at: Date | null; expires_at: Date; last_used_at: Date | null;
  revoked_at: Date | null; revoked_by: string | null; revocation_reason: string | null;
}

interface CodeRow {
  id: string; code_hash: string; subject_id: string; issued_by: string; created_at: Date; expires_at: Date; used_at: Date | null; credential_id: string | null;
}

const credential = (r: CredentialRow): DeviceCredential => ({
  id: r.id, subjectId: r.subject_id, secretHash: r.secret_hash, label: r.label, issuedVia: r.issued_via, issuedBy: r.issued_by,
  enrollmentSubmissionId: r.enrollment_submission_id, createdAt: r.created_at, activatedAt: r.activated_at, expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by, revocationReason: r.revocation_reason,
});

/** Device credentials and activation codes (migration 010), and the two facts about submissions that bind them. */
export class SqlDeviceCredentialRepository implements DeviceCredentialRepository, EnrolmentOutcomes {
  constructor(private readonly db: Queryable) {}

  async insert(c: DeviceCredential): Promise<void> {
    await this.db.query(
      `INSERT INTO device_credentials (id, subject_id, secret_hash, label, issued_via, issued_by, enrollment_submission_id, created_at,
         activated_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [c.id, c.subjectId, c.secretHash, c.label, c.issuedVia, c.issuedBy, c.enrollmentSubmissionId, c.createdAt, c.activatedAt, c.expiresAt],
    );
  }

  async findById(id: string): Promise<DeviceCredential | null> {
    const rows = await this.db.query<CredentialRow>('SELECT * FROM device_credentials WHERE id = $1', [id]);
    return rows[0] ? credential(rows[0]) : null;
  }

  async findByEnrollment(submissionId: string): Promise<DeviceCredential | null> {
    const rows = await this.db.query<CredentialRow>('SELECT * FROM device_credentials WHERE enrollment_submission_id = $1', [submissionId]);
    return rows[0] ? credential(rows[0]) : null;
  }

  async listForSubject(subjectId: string): Promise<DeviceCredential[]> {
    const rows = await this.db.query<CredentialRow>('SELECT * FROM device_credentials WHERE subject_id = $1 ORDER BY created_at', [subjectId]);
    return rows.map(credential);
  }

  async countActive(subjectId: string, now: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM device_credentials
        WHERE subject_id = $1 AND activated_at IS NOT NULL AND revoked_at IS NULL AND expires_at > $2`,
      [subjectId, now],
    );
    return rows[0]?.n ?? 0;
  }

  async activate(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE device_credentials SET activated_at = $2 WHERE id = $1 AND activated_at IS NULL', [id, at]);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE device_credentials SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async revoke(id: string, at: Date, by: string, reason: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE device_credentials SET revoked_at = $2, revoked_by = $3, revocation_reason = $4
        WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [id, at, by, reason],
    );
    return rows.length === 1;
  }

  /** Erasure: revokes every credential of the subject and drops their unused activation codes; returns how many it revoked. */
  async revokeAllForSubject(subjectId: string, at: Date, by: string, reason: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE device_credentials SET revoked_at = $2, revoked_by = $3, revocation_reason = $4
        WHERE subject_id = $1 AND revoked_at IS NULL RETURNING id`,
      [subjectId, at, by, reason],
    );
    await this.db.query('DELETE FROM activation_codes WHERE subject_id = $1 AND used_at IS NULL', [subjectId]);
    return rows.length;
  }

  async insertCode(c: ActivationCode): Promise<void> {
    await this.db.query(
      'INSERT INTO activation_codes (id, code_hash, subject_id, issued_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [c.id, c.codeHash, c.subjectId, c.issuedBy, c.createdAt, c.expiresAt],
    );
  }

  async redeemCode(codeHash: string, at: Date): Promise<ActivationCode | null> {
    const rows = await this.db.query<CodeRow>(
      `UPDATE activation_codes SET used_at = $2
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING *`,
      [codeHash, at],
    );
    const r = rows[0];
    return r ? {
      id: r.id, codeHash: r.code_hash, subjectId: r.subject_id, issuedBy: r.issued_by, createdAt: r.created_at, expiresAt: r.expires_at,
      usedAt: r.used_at, credentialId: r.credential_id,
    } : null;
  }

  async linkCode(codeId: string, credentialId: string): Promise<void> {
    await this.db.query('UPDATE activation_codes SET credential_id = $2 WHERE id = $1', [codeId, credentialId]);
  }

  async recordSubmission(submissionId: string, credentialId: string, at: Date): Promise<void> {
    await this.db.query(
      'INSERT INTO device_submissions (submission_id, credential_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [submissionId, credentialId, at]);
  }

  async failuresSince(credentialId: string, since: Date): Promise<Date[]> {
    const rows = await this.db.query<{ failed_at: Date }>(
      `SELECT f.failed_at FROM verification_failures f JOIN device_submissions d ON d.submission_id = f.submission_id
        WHERE d.credential_id = $1 AND f.failed_at >= $2 ORDER BY f.failed_at`, [credentialId, since]);
    return rows.map((r) => r.failed_at);
  }

  async isVerifiedEnrolment(submissionId: string, subjectId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM submissions WHERE id = $1 AND subject_id = $2 AND kind = 'enrollment' AND decision = 'verified'`, [submissionId, subjectId]);
    return rows.length === 1;
  }

  /** The internal subject id of a submission, or null. */
  async subjectOfSubmission(submissionId: string): Promise<string | null> {
    const rows = await this.db.query<{ subject_id: string }>('SELECT subject_id FROM submissions WHERE id = $1', [submissionId]);
    return rows[0]?.subject_id ?? null;
  }
}
