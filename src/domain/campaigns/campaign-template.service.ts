import type { Clock } from '../../shared/clock.js';
import { createRepositories } from '../../storage/repositories/index.js';
import { addDays } from '../../shared/clock.js';
import { AppError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Database } from '../../storage/database/database.js';
import { campaignRepositories } from '../../storage/repositories/campaign.repository.js';
import type { CampaignTemplate } from '../../storage/repositories/campaign-template.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import { actorLabel } from '../consent/consent.service.js';
import { CAMPAIGN_SYSTEM, campaignAction } from './campaign-audit.js';
import type { CampaignJobQueue } from './campaign-ports.js';
import type { CampaignService } from './campaign.service.js';
import { DEFAULT_REMINDERS, type Cohort, type Reminder } from './campaign.js';
import { cronPattern, periodKey, periodStart, type Recurrence } from './recurrence.js';

export interface TemplateInput {
  readonly name: string;
  readonly cohort: Cohort;
  readonly recurrence: Recurrence;
  readonly anchorMonth: number;
  readonly anchorDay: number;
  readonly windowDays: number;
  readonly graceDays: number;
  readonly reminders?: readonly Reminder[];
  readonly autoStart: boolean;
}

export type EnsureOutcome = 'created' | 'started' | 'exists' | 'window-passed' | 'inactive' | 'missing';

/**
 * Recurring campaigns. A BullMQ job scheduler fires at each period start (cron, UTC) and the campaign
 * tick checks again, so a missed firing is made up; (template, period) is unique, so both may run.
 */
export class CampaignTemplateService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly campaigns: CampaignService,
    private readonly jobs: CampaignJobQueue,
    private readonly onError: (templateId: string, error: unknown) => void = () => undefined,
  ) {}

  async create(input: TemplateInput, actor: Actor): Promise<CampaignTemplate> {
    const template: CampaignTemplate = {
      id: newId(), ...input, reminders: input.reminders ?? DEFAULT_REMINDERS, active: true,
      createdAt: this.clock.now(), createdBy: actorLabel(actor),
    };
    await this.db.transaction(async (tx) => {
      await campaignRepositories(tx).templates.insert(template);
      await this.audit.record({
        actor, action: campaignAction('campaign-template.created'), targetType: 'campaign-template', targetId: template.id, outcome: 'success',
        details: { recurrence: template.recurrence },
      }, createRepositories(tx));
    });
    await this.jobs.scheduleTemplate(template.id, cronPattern(template.recurrence, { month: template.anchorMonth, day: template.anchorDay }));
    await this.ensureCurrent(template.id);
    return template;
  }

  list(): Promise<CampaignTemplate[]> {
    return campaignRepositories(this.db).templates.list(false);
  }

  async deactivate(id: string, actor: Actor): Promise<void> {
    const done = await this.db.transaction(async (tx) => {
      if (!(await campaignRepositories(tx).templates.deactivate(id))) return false;
      await this.audit.record({ actor, action: campaignAction('campaign-template.deactivated'), targetType: 'campaign-template', targetId: id, outcome: 'success' }, createRepositories(tx));
      return true;
    });
    if (!done && !(await campaignRepositories(this.db).templates.findById(id))) throw new NotFoundError('TEMPLATE_NOT_FOUND', `No template "${id}".`);
    await this.jobs.unscheduleTemplate(id);
  }

  /** The campaign of the period containing now, made (and started) if its window is still open. */
  async ensureCurrent(templateId: string): Promise<{ outcome: EnsureOutcome; campaignId: string | null }> {
    const repos = campaignRepositories(this.db);
    const t = await repos.templates.findById(templateId);
    if (!t) return { outcome: 'missing', campaignId: null };
    if (!t.active) return { outcome: 'inactive', campaignId: null };
    const now = this.clock.now();
    const opensAt = periodStart(now, t.recurrence, { month: t.anchorMonth, day: t.anchorDay });
    const key = periodKey(opensAt);
    const existing = await repos.campaigns.findByPeriod(t.id, key);
    if (existing) return { outcome: 'exists', campaignId: existing.id };
    const dueAt = addDays(opensAt, t.windowDays);
    if (dueAt.getTime() <= now.getTime()) return { outcome: 'window-passed', campaignId: null };
    let campaign;
    try {
      campaign = await this.campaigns.create({
        name: `${t.name} ${key}`, cohort: t.cohort, opensAt, dueAt, graceDays: t.graceDays, reminders: t.reminders,
      }, CAMPAIGN_SYSTEM, { templateId: t.id, periodKey: key });
    } catch (error) {
      if (error instanceof AppError && error.code === 'CAMPAIGN_EXISTS') return { outcome: 'exists', campaignId: (await repos.campaigns.findByPeriod(t.id, key))?.id ?? null };
      throw error;
    }
    if (!t.autoStart) return { outcome: 'created', campaignId: campaign.id };
    try {
      await this.campaigns.start(campaign.id, CAMPAIGN_SYSTEM);
      return { outcome: 'started', campaignId: campaign.id };
    } catch (error) {
      this.onError(t.id, error);
      return { outcome: 'created', campaignId: campaign.id };
    }
  }
}
