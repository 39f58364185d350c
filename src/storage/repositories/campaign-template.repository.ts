import type { Queryable } from '../database/database.js';
import type { CampaignTemplate, Cohort, Reminder } from '../../domain/campaigns/campaign.js';
import type { CampaignTemplateRepository } from '../../domain/campaigns/campaign-ports.js';
import type { Recurrence } from '../../domain/campaigns/recurrence.js';

interface Row {
  id: string; name: string; cohort: Cohort; recurrence: Recurrence; anchor_month: number; anchor_day: number; window_days: number;
  grace_days: number; reminders: Reminder[]; auto_start: boolean; active: boolean; created_at: Date; created_by: string;
}

const toTemplate = (r: Row): CampaignTemplate => ({
  id: r.id, name: r.name, cohort: r.cohort, recurrence: r.recurrence, anchorMonth: r.anchor_month, anchorDay: r.anchor_day,
  windowDays: r.window_days, graceDays: r.grace_days, reminders: r.reminders, autoStart: r.auto_start, active: r.active,
  createdAt: r.created_at, createdBy: r.created_by,
});

/** Recurring campaigns (campaign_templates). */
export class SqlCampaignTemplateRepository implements CampaignTemplateRepository {
  constructor(private readonly db: Queryable) {}

  async insert(t: CampaignTemplate): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_templates (id, name, cohort, recurrence, anchor_month, anchor_day, window_days, grace_days, reminders,
         auto_start, active, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [t.id, t.name, JSON.stringify(t.cohort), t.recurrence, t.anchorMonth, t.anchorDay, t.windowDays, t.graceDays,
        JSON.stringify(t.reminders), t.autoStart, t.active, t.createdAt, t.createdBy],
    );
  }

  async findById(id: string): Promise<CampaignTemplate | null> {
    const rows = await this.db.query<Row>('SELECT * FROM campaign_templates WHERE id = $1', [id]);
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async list(activeOnly: boolean): Promise<CampaignTemplate[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM campaign_templates ${activeOnly ? 'WHERE active' : ''} ORDER BY created_at`);
    return rows.map(toTemplate);
  }

  async deactivate(id: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE campaign_templates SET active = false WHERE id = $1 AND active RETURNING id', [id]);
    return rows.length === 1;
  }
}
