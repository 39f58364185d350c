import type { Clock } from '../../shared/clock.js';
import { addDays } from '../../shared/clock.js';
import { AppError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorLabel, type Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { CAMPAIGN_SYSTEM } from './campaign-audit.js';
import type { CampaignJobQueue, CampaignPorts } from './campaign-ports.js';
import type { CampaignService } from './campaign.service.js';
import { DEFAULT_REMINDERS, type CampaignTemplate, type Reminder } from './campaign.js';
import { cronPattern, periodKey, periodStart } from './recurrence.js';

/** What an operator gives to create a template: the template less what the service sets (reminders default). */
export type TemplateInput = Omit<CampaignTemplate, 'id' | 'reminders' | 'active' | 'createdAt' | 'createdBy'> & {
  readonly reminders?: readonly Reminder[];
};

export type EnsureOutcome = 'created' | 'started' | 'exists' | 'window-passed' | 'inactive' | 'missing';

export interface CampaignTemplateServiceDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly campaigns: CampaignService;
  readonly jobs: CampaignJobQueue;
  /** A period's campaign was made but could not start (it stays a draft for an operator); this only reports it. */
  readonly onError?: (templateId: string, error: unknown) => void;
}

/**
 * Recurring campaigns. A BullMQ job scheduler fires at each period start (cron, UTC) and the campaign
 * tick checks again, so a missed firing is made up; (template, period) is unique, so both may run.
 */
export class CampaignTemplateService {
  constructor(private readonly deps: CampaignTemplateServiceDeps) {}

  async create(input: TemplateInput, actor: Actor): Promise<CampaignTemplate> {
    const template: CampaignTemplate = {
      id: newId(), ...input, reminders: input.reminders ?? DEFAULT_REMINDERS, active: true,
      createdAt: this.deps.clock.now(), createdBy: actorLabel(actor),
    };
    await this.deps.uow.transaction(async (ports) => {
      await ports.campaignTemplates.insert(template);
      await this.deps.audit.record({
        actor, action: 'campaign-template.created', targetType: 'campaign-template', targetId: template.id, outcome: 'success',
        details: { recurrence: template.recurrence },
      }, ports);
    });
    await this.deps.jobs.scheduleTemplate(template.id, cronPattern(template.recurrence, { month: template.anchorMonth, day: template.anchorDay }));
    await this.ensureCurrent(template.id);
    return template;
  }

  list(): Promise<CampaignTemplate[]> {
    return this.deps.uow.ports.campaignTemplates.list(false);
  }

  async deactivate(id: string, actor: Actor): Promise<void> {
    const done = await this.deps.uow.transaction(async (ports) => {
      if (!(await ports.campaignTemplates.deactivate(id))) return false;
      await this.deps.audit.record({ actor, action: 'campaign-template.deactivated', targetType: 'campaign-template', targetId: id, outcome: 'success' }, ports);
      return true;
    });
    if (!done && !(await this.deps.uow.ports.campaignTemplates.findById(id))) throw new NotFoundError('TEMPLATE_NOT_FOUND', `No template "${id}".`);
    await this.deps.jobs.unscheduleTemplate(id);
  }

  /** The campaign of the period containing now, made (and started) if its window is still open. */
  async ensureCurrent(templateId: string): Promise<{ outcome: EnsureOutcome; campaignId: string | null }> {
    const ports = this.deps.uow.ports;
    const t = await ports.campaignTemplates.findById(templateId);
    if (!t) return { outcome: 'missing', campaignId: null };
    if (!t.active) return { outcome: 'inactive', campaignId: null };
    const now = this.deps.clock.now();
    const opensAt = periodStart(now, t.recurrence, { month: t.anchorMonth, day: t.anchorDay });
    const key = periodKey(opensAt);
    const existing = await ports.campaigns.findByPeriod(t.id, key);
    if (existing) return { outcome: 'exists', campaignId: existing.id };
    const dueAt = addDays(opensAt, t.windowDays);
    if (dueAt.getTime() <= now.getTime()) return { outcome: 'window-passed', campaignId: null };
    let campaign;
    try {
      campaign = await this.deps.campaigns.create({
        name: `${t.name} ${key}`, cohort: t.cohort, opensAt, dueAt, graceDays: t.graceDays, reminders: t.reminders,
      }, CAMPAIGN_SYSTEM, { templateId: t.id, periodKey: key });
    } catch (error) {
      if (error instanceof AppError && error.code === 'CAMPAIGN_EXISTS') return { outcome: 'exists', campaignId: (await ports.campaigns.findByPeriod(t.id, key))?.id ?? null };
      throw error;
    }
    if (!t.autoStart) return { outcome: 'created', campaignId: campaign.id };
    try {
      await this.deps.campaigns.start(campaign.id, CAMPAIGN_SYSTEM);
      return { outcome: 'started', campaignId: campaign.id };
    } catch (error) {
      this.deps.onError?.(t.id, error);
      return { outcome: 'created', campaignId: campaign.id };
    }
  }
}
