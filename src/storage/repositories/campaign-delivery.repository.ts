import type { Queryable } from '../database/database.js';
import type {
  CampaignStatus, DeliveryChannel, DeliveryKind, DeliveryStatus, MemberState, Reminder,
} from '../../domain/campaigns/campaign.js';
import type { CampaignDeliveryRepository, DeliveryContext, DeliveryRow } from '../../domain/campaigns/campaign-ports.js';

/** The webhook outbox (campaign_deliveries). */
export class SqlCampaignDeliveryRepository implements CampaignDeliveryRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * One pending message per member of the page (optionally only those in `states`); the unique
   * (campaign, subject, kind) makes a re-run add nothing. Returns the ids of the new messages.
   */
  async insertForMembers(
    campaignId: string, subjectIds: readonly string[], channel: DeliveryChannel, kind: DeliveryKind, at: Date, states?: readonly MemberState[],
  ): Promise<string[]> {
    if (!subjectIds.length) return [];
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO campaign_deliveries (id, campaign_id, subject_id, channel, kind, status, created_at)
       SELECT gen_random_uuid(), cs.campaign_id, cs.subject_id, $3, $4, 'pending', $5 FROM campaign_subjects cs
        WHERE cs.campaign_id = $1 AND cs.subject_id = ANY($2::uuid[]) AND ($6::text[] IS NULL OR cs.state = ANY($6::text[]))
       ON CONFLICT (campaign_id, subject_id, kind) DO NOTHING RETURNING id`,
      [campaignId, subjectIds, channel, kind, at, states ?? null],
    );
    return rows.map((r) => r.id);
  }

  async context(id: string): Promise<DeliveryContext | null> {
    const rows = await this.db.query<{
      id: string; campaign_id: string; subject_id: string; channel: DeliveryChannel; kind: DeliveryKind; status: DeliveryStatus;
      attempts: number; created_at: Date; campaign_status: CampaignStatus; opens_at: Date; due_at: Date; grace_days: number;
      reminders: Reminder[]; state: MemberState; overdue_at: Date | null; external_ref: string; language: string;
    }>(
      `SELECT d.id, d.campaign_id, d.subject_id, d.channel, d.kind, d.status, d.attempts, d.created_at,
              c.status AS campaign_status, c.opens_at, c.due_at, c.grace_days, c.reminders,
              cs.state, cs.overdue_at, s.external_ref, s.language
         FROM campaign_deliveries d
         JOIN campaigns c ON c.id = d.campaign_id
         JOIN campaign_subjects cs ON cs.campaign_id = d.campaign_id AND cs.subject_id = d.subject_id
         JOIN subjects s ON s.id = d.subject_id
        WHERE d.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id, campaignId: r.campaign_id, subjectId: r.subject_id, channel: r.channel, kind: r.kind, status: r.status,
      attempts: r.attempts, createdAt: r.created_at, campaignStatus: r.campaign_status, opensAt: r.opens_at, dueAt: r.due_at,
      graceDays: r.grace_days, reminders: r.reminders, memberState: r.state, overdueAt: r.overdue_at,
      pensionNumber: r.external_ref, language: r.language,
    };
  }

  async statusOf(campaignId: string, subjectId: string, kind: DeliveryKind): Promise<DeliveryStatus | null> {
    const rows = await this.db.query<{ status: DeliveryStatus }>(
      'SELECT status FROM campaign_deliveries WHERE campaign_id = $1 AND subject_id = $2 AND kind = $3', [campaignId, subjectId, kind]);
    return rows[0]?.status ?? null;
  }

  async markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    await this.db.query('UPDATE campaign_deliveries SET enqueued_at = $2 WHERE id = ANY($1::uuid[])', [ids, at]);
  }

  /** Pending messages without a job, oldest first, of campaigns that may send (running or closed). */
  async undispatched(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT d.id FROM campaign_deliveries d JOIN campaigns c ON c.id = d.campaign_id
        WHERE d.status = 'pending' AND d.enqueued_at IS NULL AND c.status IN ('running','closed')
        ORDER BY d.created_at, d.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Pending messages whose job was enqueued long ago (Redis may have lost it) go back to the outbox. */
  async releaseStale(olderThan: Date, limit: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE campaign_deliveries SET enqueued_at = NULL WHERE id IN (
         SELECT id FROM campaign_deliveries WHERE status = 'pending' AND enqueued_at < $1 LIMIT $2) RETURNING id`,
      [olderThan, limit],
    );
    return rows.length;
  }

  /** Back to the outbox without an attempt (the campaign is paused); resumed later by the dispatcher. */
  async hold(id: string): Promise<void> {
    await this.db.query(`UPDATE campaign_deliveries SET enqueued_at = NULL WHERE id = $1 AND status = 'pending'`, [id]);
  }

  /** Ends a pending message; the guard makes a second, concurrent attempt a no-op. */
  async finish(id: string, status: Exclude<DeliveryStatus, 'pending'>, at: Date, outcome: { attempted: boolean; responseStatus?: number | null; error?: string | null }): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE campaign_deliveries SET status = $2, finished_at = $3, attempts = attempts + $4,
              response_status = COALESCE($5, response_status), last_error = COALESCE($6, last_error)
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, at, outcome.attempted ? 1 : 0, outcome.responseStatus ?? null, outcome.error ?? null],
    );
    return rows.length === 1;
  }

  /** A failed attempt that will be retried. */
  async recordFailure(id: string, error: string, responseStatus: number | null): Promise<void> {
    await this.db.query(
      `UPDATE campaign_deliveries SET attempts = attempts + 1, last_error = $2, response_status = COALESCE($3, response_status)
        WHERE id = $1 AND status = 'pending'`,
      [id, error, responseStatus],
    );
  }

  async cancelPending(campaignId: string, at: Date): Promise<number> {
    const rows = await this.db.query(
      `UPDATE campaign_deliveries SET status = 'cancelled', finished_at = $2 WHERE campaign_id = $1 AND status = 'pending' RETURNING id`,
      [campaignId, at]);
    return rows.length;
  }

  /** Dead-lettered messages of a campaign go back to pending for a fresh round of attempts. */
  async retryDead(campaignId: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE campaign_deliveries SET status = 'pending', attempts = 0, enqueued_at = NULL, finished_at = NULL
        WHERE campaign_id = $1 AND status = 'dead' RETURNING id`,
      [campaignId]);
    return rows.length;
  }

  async counts(campaignId: string): Promise<{ channel: DeliveryChannel; status: DeliveryStatus; n: number }[]> {
    return this.db.query(
      'SELECT channel, status, count(*)::int AS n FROM campaign_deliveries WHERE campaign_id = $1 GROUP BY channel, status ORDER BY channel, status',
      [campaignId]);
  }

  async list(campaignId: string, q: { status?: DeliveryStatus; afterId: string | null; limit: number }): Promise<DeliveryRow[]> {
    const rows = await this.db.query<{
      id: string; external_ref: string; channel: DeliveryChannel; kind: DeliveryKind; status: DeliveryStatus; attempts: number;
      last_error: string | null; response_status: number | null; created_at: Date; finished_at: Date | null;
    }>(
      `SELECT d.id, s.external_ref, d.channel, d.kind, d.status, d.attempts, d.last_error, d.response_status, d.created_at, d.finished_at
         FROM (SELECT * FROM campaign_deliveries
                WHERE campaign_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id > $3)
                ORDER BY id LIMIT $4) d
         JOIN subjects s ON s.id = d.subject_id
        ORDER BY d.id`,
      [campaignId, q.status ?? null, q.afterId, q.limit],
    );
    return rows.map((r) => ({
      id: r.id, pensionNumber: r.external_ref, channel: r.channel, kind: r.kind, status: r.status, attempts: r.attempts,
      lastError: r.last_error, responseStatus: r.response_status, createdAt: r.created_at, finishedAt: r.finished_at,
    }));
  }
}
