import type { Queryable } from '../database/database.js';
import type { Campaign, CampaignStatus, CampaignStep, Cohort, Reminder, StepName } from '../../domain/campaigns/campaign.js';
import type { CampaignRepository, StatusChange } from '../../domain/campaigns/campaign-ports.js';
import { SqlCampaignDeliveryRepository } from './campaign-delivery.repository.js';
import { SqlCampaignMemberRepository } from './campaign-member.repository.js';
import { SqlCampaignTemplateRepository } from './campaign-template.repository.js';
import { SqlSubjectAttributeRepository } from './subject-attribute.repository.js';

interface Row {
  id: string; name: string; status: CampaignStatus; cohort: Cohort; opens_at: Date; due_at: Date; grace_days: number;
  reminders: Reminder[]; template_id: string | null; period_key: string | null; created_at: Date; created_by: string;
  started_at: Date | null; paused_at: Date | null; closed_at: Date | null; cancelled_at: Date | null; cancel_reason: string | null;
}

interface StepRow {
  campaign_id: string; step: string; due_at: Date; cursor: string | null; processed: number; affected: number;
  started_at: Date | null; done_at: Date | null; outcome: string | null;
}

const toCampaign = (r: Row): Campaign => ({
  id: r.id, name: r.name, status: r.status, cohort: r.cohort, opensAt: r.opens_at, dueAt: r.due_at, graceDays: r.grace_days,
  reminders: r.reminders, templateId: r.template_id, periodKey: r.period_key, createdAt: r.created_at, createdBy: r.created_by,
  startedAt: r.started_at, pausedAt: r.paused_at, closedAt: r.closed_at, cancelledAt: r.cancelled_at, cancelReason: r.cancel_reason,
});

const toStep = (r: StepRow): CampaignStep => ({
  campaignId: r.campaign_id, step: r.step, dueAt: r.due_at, cursor: r.cursor, processed: r.processed, affected: r.affected,
  startedAt: r.started_at, doneAt: r.done_at, outcome: r.outcome,
});

/** Campaigns, their steps (with fan-out cursors) and the reconcile watermark. */
export class SqlCampaignRepository implements CampaignRepository {
  constructor(private readonly db: Queryable) {}

  /** false when a campaign already exists for the same template period. */
  async insert(c: Campaign): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO campaigns (id, name, status, cohort, opens_at, due_at, grace_days, reminders, template_id, period_key, created_at, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (template_id, period_key) DO NOTHING RETURNING id`,
      [c.id, c.name, c.status, JSON.stringify(c.cohort), c.opensAt, c.dueAt, c.graceDays, JSON.stringify(c.reminders),
        c.templateId, c.periodKey, c.createdAt, c.createdBy],
    );
    return rows.length === 1;
  }

  async findById(id: string, lock = false): Promise<Campaign | null> {
    const rows = await this.db.query<Row>(`SELECT * FROM campaigns WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async findByPeriod(templateId: string, periodKey: string): Promise<Campaign | null> {
    const rows = await this.db.query<Row>('SELECT * FROM campaigns WHERE template_id = $1 AND period_key = $2', [templateId, periodKey]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async list(q: { status?: CampaignStatus; limit: number }): Promise<Campaign[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM campaigns WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2`,
      [q.status ?? null, q.limit],
    );
    return rows.map(toCampaign);
  }

  async listByStatus(statuses: readonly CampaignStatus[]): Promise<Campaign[]> {
    const rows = await this.db.query<Row>('SELECT * FROM campaigns WHERE status = ANY($1::text[]) ORDER BY created_at', [statuses]);
    return rows.map(toCampaign);
  }

  /** Moves to a status only from one of `from` (the guard makes concurrent requests safe); null when refused. */
  async changeStatus(id: string, from: readonly CampaignStatus[], change: StatusChange, at: Date): Promise<Campaign | null> {
    const params: unknown[] = [id, from, change.status];
    const sets = ['status = $3'];
    if (change.stamp) sets.push(`${change.stamp} = COALESCE(${change.stamp}, $${params.push(at)})`);
    if (change.status === 'running') sets.push('paused_at = NULL');
    if (change.status === 'cancelled') sets.push(`cancel_reason = $${params.push(change.reason)}`);
    const rows = await this.db.query<Row>(
      `UPDATE campaigns SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`, params);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async setDeadline(id: string, dueAt: Date, graceDays: number): Promise<void> {
    await this.db.query('UPDATE campaigns SET due_at = $2, grace_days = $3 WHERE id = $1', [id, dueAt, graceDays]);
  }

  async insertSteps(campaignId: string, steps: readonly { step: StepName; dueAt: Date }[]): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_steps (campaign_id, step, due_at)
       SELECT $1, s, d FROM unnest($2::text[], $3::timestamptz[]) AS t(s, d) ON CONFLICT DO NOTHING`,
      [campaignId, steps.map((s) => s.step), steps.map((s) => s.dueAt)],
    );
  }

  async steps(campaignId: string): Promise<CampaignStep[]> {
    const rows = await this.db.query<StepRow>('SELECT * FROM campaign_steps WHERE campaign_id = $1 ORDER BY due_at, step', [campaignId]);
    return rows.map(toStep);
  }

  async step(campaignId: string, step: StepName, lock = false): Promise<CampaignStep | null> {
    const rows = await this.db.query<StepRow>(
      `SELECT * FROM campaign_steps WHERE campaign_id = $1 AND step = $2${lock ? ' FOR UPDATE' : ''}`, [campaignId, step]);
    return rows[0] ? toStep(rows[0]) : null;
  }

  async startStep(campaignId: string, step: StepName, at: Date): Promise<void> {
    await this.db.query('UPDATE campaign_steps SET started_at = COALESCE(started_at, $3) WHERE campaign_id = $1 AND step = $2', [campaignId, step, at]);
  }

  /**
   * Commits one page of a fan-out: the new cursor and counters. The guard on the old cursor makes a
   * second runner of the same step (a job taken over while the first still ran) fail instead of double counting.
   */
  async advanceStep(campaignId: string, step: StepName, from: string | null, to: string, processed: number, affected: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE campaign_steps SET cursor = $4, processed = processed + $5, affected = affected + $6
        WHERE campaign_id = $1 AND step = $2 AND cursor IS NOT DISTINCT FROM $3::uuid AND done_at IS NULL RETURNING step`,
      [campaignId, step, from, to, processed, affected],
    );
    return rows.length === 1;
  }

  async finishStep(campaignId: string, step: StepName, at: Date, outcome: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE campaign_steps SET done_at = $3, outcome = $4 WHERE campaign_id = $1 AND step = $2 AND done_at IS NULL RETURNING step',
      [campaignId, step, at, outcome],
    );
    return rows.length === 1;
  }

  /** Ends every step not run yet (the campaign closed or was cancelled), so none is left waiting. */
  async finishOpenSteps(campaignId: string, at: Date, outcome: string): Promise<void> {
    await this.db.query('UPDATE campaign_steps SET done_at = $2, outcome = $3 WHERE campaign_id = $1 AND done_at IS NULL', [campaignId, at, outcome]);
  }

  async rescheduleStep(campaignId: string, step: StepName, dueAt: Date): Promise<void> {
    await this.db.query('UPDATE campaign_steps SET due_at = $3 WHERE campaign_id = $1 AND step = $2 AND done_at IS NULL', [campaignId, step, dueAt]);
  }

  /** Unfinished steps of running campaigns: due ones are enqueued now, later ones as delayed jobs. */
  async openSteps(): Promise<CampaignStep[]> {
    const rows = await this.db.query<StepRow>(
      `SELECT st.* FROM campaign_steps st JOIN campaigns c ON c.id = st.campaign_id
        WHERE c.status = 'running' AND st.done_at IS NULL ORDER BY st.due_at`,
    );
    return rows.map(toStep);
  }

  async watermark(name: string): Promise<Date | null> {
    const rows = await this.db.query<{ watermark: Date }>('SELECT watermark FROM campaign_sync WHERE name = $1', [name]);
    return rows[0]?.watermark ?? null;
  }

  async setWatermark(name: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_sync (name, watermark) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET watermark = GREATEST(campaign_sync.watermark, EXCLUDED.watermark)`,
      [name, at],
    );
  }
}

/** The campaign repositories over one connection or transaction. */
export function campaignRepositories(db: Queryable) {
  return {
    campaigns: new SqlCampaignRepository(db),
    members: new SqlCampaignMemberRepository(db),
    deliveries: new SqlCampaignDeliveryRepository(db),
    campaignTemplates: new SqlCampaignTemplateRepository(db),
    attributes: new SqlSubjectAttributeRepository(db),
  };
}
