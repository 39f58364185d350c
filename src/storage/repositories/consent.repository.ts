import type { Queryable } from '../database/database.js';
import type {
  Consent, ConsentRecordRequest, ConsentText, Language, NewConsent, RecordingConfirmation, WithdrawalConfirmation, WithdrawalRequest,
} from '../../domain/consent/consent.js';
import type { ConsentRepository } from '../../domain/consent/consent-ports.js';

interface Row {
  id: string; subject_id: string; text_id: string; version: string; language: Language; purpose: string;
  scope: Consent['scope']; channel: Consent['channel']; witness: string | null; evidence_sha256: string;
  device_id: string | null; ip: string | null; signed_at: Date; recorded_at: Date; recorded_by: string;
  status: Consent['status']; withdrawn_at: Date | null; withdrawn_by: string | null; withdrawal_reason: string | null;
  withdrawal_confirmation: WithdrawalConfirmation | null; content_sha256: string; confirmation: RecordingConfirmation | null;
  selfie_delete_at: Date | null; selfie_deleted_at: Date | null;
}

const toConsent = (r: Row): Consent => ({
  id: r.id, subjectId: r.subject_id, textId: r.text_id, textVersion: r.version, language: r.language, purpose: r.purpose,
  scope: r.scope, channel: r.channel, witness: r.witness, evidenceSha256: r.evidence_sha256, deviceId: r.device_id,
  ip: r.ip, signedAt: r.signed_at, recordedAt: r.recorded_at, recordedBy: r.recorded_by, status: r.status,
  withdrawnAt: r.withdrawn_at, withdrawnBy: r.withdrawn_by, withdrawalReason: r.withdrawal_reason,
  withdrawalConfirmation: r.withdrawal_confirmation ?? null, textSha256: r.content_sha256, confirmation: r.confirmation ?? null,
  confirmationSelfie: r.confirmation?.method === 'selfie' ? { deleteAt: r.selfie_delete_at, deletedAt: r.selfie_deleted_at } : null,
});

// The selfie that confirmed the recording keeps its own retention timer (stored_items); the consent shows it.
const SELECT = `SELECT c.*, t.version, t.language, t.content_sha256, sel.delete_at AS selfie_delete_at, sel.deleted_at AS selfie_deleted_at
  FROM consents c JOIN consent_texts t ON t.id = c.text_id
  LEFT JOIN stored_items sel ON sel.submission_id = (c.confirmation->>'submissionId')::uuid AND sel.item_class = 'selfie_image'`;

export class SqlConsentRepository implements ConsentRepository {
  constructor(private readonly db: Queryable) {}

  async latestTexts(language?: Language): Promise<ConsentText[]> {
    const rows = await this.db.query<{ id: string; version: string; language: Language; purpose: string; body: string; content_sha256: string }>(
      `SELECT * FROM consent_texts t WHERE ($1::text IS NULL OR language = $1)
         AND created_at = (SELECT max(created_at) FROM consent_texts x WHERE x.language = t.language) ORDER BY language`,
      [language ?? null],
    );
    return rows.map((r) => ({ id: r.id, version: r.version, language: r.language, purpose: r.purpose, body: r.body, contentSha256: r.content_sha256 }));
  }

  async findText(version: string, language: Language): Promise<ConsentText | null> {
    const [r] = await this.db.query<{ id: string; version: string; language: Language; purpose: string; body: string; content_sha256: string }>(
      'SELECT * FROM consent_texts WHERE version = $1 AND language = $2',
      [version, language],
    );
    return r ? { id: r.id, version: r.version, language: r.language, purpose: r.purpose, body: r.body, contentSha256: r.content_sha256 } : null;
  }

  async insert(c: NewConsent): Promise<void> {
    await this.db.query(
      `INSERT INTO consents (id, subject_id, text_id, purpose, scope, channel, witness, evidence_blob_key, evidence_sha256,
         device_id, ip, signed_at, recorded_at, recorded_by, status, confirmation)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
      [c.id, c.subjectId, c.textId, c.purpose, JSON.stringify(c.scope), c.channel, c.witness, c.evidenceBlobKey,
        c.evidenceSha256, c.deviceId, c.ip, c.signedAt, c.recordedAt, c.recordedBy, c.status,
        c.confirmation ? JSON.stringify(c.confirmation) : null],
    );
  }

  /**
   * Settles the subject's consents pending the enrolment that follows them: confirmed (the selfie's decision kept), or,
   * when its face was refused, ended by `by` with `reason`. Returns the ids settled (none twice).
   */
  async settlePendingConfirmation(
    subjectId: string, confirmation: RecordingConfirmation, ended: { at: Date; by: string; reason: string } | null,
  ): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE consents SET confirmation = $2,
              status = CASE WHEN $3::timestamptz IS NULL THEN status ELSE 'withdrawn' END,
              withdrawn_at = $3, withdrawn_by = $4, withdrawal_reason = $5
        WHERE subject_id = $1 AND status = 'active' AND confirmation->>'method' = 'enrolment-pending' RETURNING id`,
      [subjectId, JSON.stringify(confirmation), ended?.at ?? null, ended?.by ?? null, ended?.reason ?? null],
    );
    return rows.map((r) => r.id);
  }

  async insertRecordRequest(r: ConsentRecordRequest): Promise<void> {
    await this.db.query(
      `INSERT INTO consent_record_requests (submission_id, subject_id, text_id, purpose, scope, channel, evidence_blob_key,
         evidence_sha256, device_id, ip, signed_at, requested_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [r.submissionId, r.subjectId, r.textId, r.purpose, JSON.stringify(r.scope), r.channel, r.evidenceBlobKey,
        r.evidenceSha256, r.deviceId, r.ip, r.signedAt, r.requestedBy, r.createdAt],
    );
  }

  /** A phone's consent not settled yet; null when there is none or it was settled before (a re-run). */
  async findOpenRecordRequest(submissionId: string): Promise<ConsentRecordRequest | null> {
    const [r] = await this.db.query<{
      submission_id: string; subject_id: string; text_id: string; purpose: string; scope: Consent['scope']; channel: ConsentRecordRequest['channel'];
      evidence_blob_key: string; evidence_sha256: string; device_id: string | null; ip: string | null; signed_at: Date;
      requested_by: string; created_at: Date;
    }>('SELECT * FROM consent_record_requests WHERE submission_id = $1 AND settled_at IS NULL', [submissionId]);
    return r ? {
      submissionId: r.submission_id, subjectId: r.subject_id, textId: r.text_id, purpose: r.purpose, scope: r.scope, channel: r.channel,
      evidenceBlobKey: r.evidence_blob_key, evidenceSha256: r.evidence_sha256, deviceId: r.device_id, ip: r.ip, signedAt: r.signed_at,
      requestedBy: r.requested_by, createdAt: r.created_at,
    } : null;
  }

  /** Settles a phone's consent request, naming the consent it became (null: refused); false if it was settled before. */
  async settleRecordRequest(submissionId: string, at: Date, consentId: string | null): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE consent_record_requests SET settled_at = $2, consent_id = $3 WHERE submission_id = $1 AND settled_at IS NULL RETURNING 1',
      [submissionId, at, consentId],
    );
    return rows.length > 0;
  }

  async listForSubject(subjectId: string): Promise<Consent[]> {
    return (await this.db.query<Row>(`${SELECT} WHERE c.subject_id = $1 ORDER BY c.recorded_at`, [subjectId])).map(toConsent);
  }

  async findById(subjectId: string, id: string): Promise<Consent | null> {
    const [r] = await this.db.query<Row>(`${SELECT} WHERE c.subject_id = $1 AND c.id = $2`, [subjectId, id]);
    return r ? toConsent(r) : null;
  }

  /** Marks active consents withdrawn; returns the ids that changed (none twice). */
  async withdraw(
    subjectId: string, ids: readonly string[] | 'all', at: Date, by: string, reason: string, confirmation: WithdrawalConfirmation | null = null,
  ): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE consents SET status = 'withdrawn', withdrawn_at = $2, withdrawn_by = $3, withdrawal_reason = $4, withdrawal_confirmation = $6
        WHERE subject_id = $1 AND status = 'active' AND ($5::uuid[] IS NULL OR id = ANY($5::uuid[])) RETURNING id`,
      [subjectId, at, by, reason, ids === 'all' ? null : ids, confirmation ? JSON.stringify(confirmation) : null],
    );
    return rows.map((r) => r.id);
  }

  async insertWithdrawalRequest(r: WithdrawalRequest): Promise<void> {
    await this.db.query(
      `INSERT INTO consent_withdrawal_requests (submission_id, subject_id, consent_id, reason, requested_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6)`,
      [r.submissionId, r.subjectId, r.consentId, r.reason, r.requestedBy, r.createdAt],
    );
  }

  /** Marks an unsettled request settled and returns it; null when there is none or it was settled before (a re-run). */
  async settleWithdrawalRequest(submissionId: string, at: Date, carriedOut: boolean): Promise<WithdrawalRequest | null> {
    const [r] = await this.db.query<{ submission_id: string; subject_id: string; consent_id: string; reason: string; requested_by: string; created_at: Date }>(
      `UPDATE consent_withdrawal_requests SET settled_at = $2, carried_out = $3 WHERE submission_id = $1 AND settled_at IS NULL
        RETURNING submission_id, subject_id, consent_id, reason, requested_by, created_at`,
      [submissionId, at, carriedOut],
    );
    return r ? {
      submissionId: r.submission_id, subjectId: r.subject_id, consentId: r.consent_id, reason: r.reason, requestedBy: r.requested_by, createdAt: r.created_at,
    } : null;
  }
}
