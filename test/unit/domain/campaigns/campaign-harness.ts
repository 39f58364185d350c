import { AuditService } from '../../../../src/domain/audit/audit.service.js';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { CampaignReconciler } from '../../../../src/domain/campaigns/campaign-reconciler.js';
import { CampaignStepRunner } from '../../../../src/domain/campaigns/campaign-step.runner.js';
import { CampaignTemplateService } from '../../../../src/domain/campaigns/campaign-template.service.js';
import { CampaignService, type CampaignInput } from '../../../../src/domain/campaigns/campaign.service.js';
import { CaseResolutionService } from '../../../../src/domain/campaigns/case-resolution.service.js';
import type { CampaignJobQueue, DeliveryQueue } from '../../../../src/domain/campaigns/campaign-ports.js';
import { DeliveryDispatcher } from '../../../../src/domain/campaigns/delivery-dispatcher.js';
import { OverdueExporter } from '../../../../src/domain/campaigns/overdue-export.js';
import { SubjectAttributesService } from '../../../../src/domain/campaigns/subject-attributes.service.js';
import { CampaignWorld, inMemoryCampaignPorts } from '../../../support/in-memory/campaigns.js';
import { inMemoryUnitOfWork } from '../../../support/in-memory/unit-of-work.js';
import { MutableClock } from '../../../support/mutable-clock.js';

export const OPERATOR: Actor = { type: 'staff', id: 'op-1', role: 'operator' };
export const DAY = 86_400_000;

/** Jobs the services asked for, in order. */
export class RecordingJobs implements CampaignJobQueue, DeliveryQueue {
  readonly steps: { campaignId: string; step: string; delayMs: number }[] = [];
  readonly schedules = new Map<string, string>();
  readonly deliveries: string[] = [];
  /** Delivery jobs Redis holds now (the dispatcher's limit is checked against it). */
  waiting = 0;

  async enqueueStep(campaignId: string, step: string, delayMs: number) { this.steps.push({ campaignId, step, delayMs }); }
  async scheduleTemplate(templateId: string, pattern: string) { this.schedules.set(templateId, pattern); }
  async unscheduleTemplate(templateId: string) { this.schedules.delete(templateId); }
  async enqueueDeliveries(ids: readonly string[]) { this.deliveries.push(...ids); this.waiting += ids.length; }
  async backlog() { return this.waiting; }
}

export interface HarnessOptions {
  readonly notifyUrl?: string | null;
  readonly paymentUrl?: string | null;
  readonly pageSize?: number;
  readonly maxQueuedDeliveries?: number;
}

/** Every campaign service over one in-memory world, a clock at 2026-03-01 and recording queues. */
export function campaignHarness(opts: HarnessOptions = {}) {
  const world = new CampaignWorld();
  const uow = inMemoryUnitOfWork(inMemoryCampaignPorts(world));
  const clock = new MutableClock(new Date('2026-03-01T00:00:00Z'));
  const jobs = new RecordingJobs();
  const settings = {
    notifyUrl: opts.notifyUrl === undefined ? 'https://notify.example/hook' : opts.notifyUrl,
    paymentUrl: opts.paymentUrl === undefined ? 'https://pay.example/hook' : opts.paymentUrl,
    pageSize: opts.pageSize ?? 2, maxQueuedDeliveries: opts.maxQueuedDeliveries ?? 1000,
  };
  const audit = new AuditService({ uow, clock });
  const dispatcher = new DeliveryDispatcher({ uow, queue: jobs, clock, settings });
  const reconciler = new CampaignReconciler({ uow, clock, dispatcher, settings });
  const campaigns = new CampaignService({ uow, audit, clock, jobs, settings });
  const templates = new CampaignTemplateService({ uow, audit, clock, campaigns, jobs });
  const runner = new CampaignStepRunner({ uow, clock, audit, reconciler, dispatcher, settings });
  const resolution = new CaseResolutionService({ uow, audit, clock, dispatcher, settings });
  const exporter = new OverdueExporter({ uow, audit, pageSize: settings.pageSize });
  const attributes = new SubjectAttributesService({ uow, audit, clock });

  /** A campaign open now, due in 30 days with 5 days' grace and one reminder 2 days before due. */
  const input = (over: Partial<CampaignInput> = {}): CampaignInput => ({
    name: 'Spring proof of life', cohort: {}, opensAt: clock.now(), dueAt: new Date(clock.now().getTime() + 30 * DAY), graceDays: 5,
    reminders: [{ hoursBeforeDue: 48 }], ...over,
  });

  /** Subjects s-1 … s-n with pension numbers PN-1 … PN-n. */
  const subjects = (n: number) => {
    for (let i = 1; i <= n; i++) world.addSubject(`s-${i}`, `PN-${i}`);
  };

  /** A decided submission of the subject, made and completed now. */
  const decide = (subjectId: string, decision: 'verified' | 'needs_review' | 'rejected') => {
    const id = world.nextId('sub');
    world.submissions.push({ id, subjectId, status: 'completed', decision, createdAt: clock.now(), completedAt: clock.now() });
    return id;
  };

  /** Creates and starts a campaign, then runs its invitation. */
  const started = async (over: Partial<CampaignInput> = {}) => {
    const c = await campaigns.create(input(over), OPERATOR);
    await campaigns.start(c.id, OPERATOR);
    await runner.run(c.id, 'invite');
    return c;
  };

  const states = (campaignId: string) => Object.fromEntries(
    [...world.members.values()].filter((m) => m.campaignId === campaignId).map((m) => [m.subjectId, m.state]));

  const kinds = (campaignId: string) => world.deliveriesOf(campaignId).map((d) => `${d.subjectId}:${d.kind}:${d.status}`).sort();

  return {
    world, uow, clock, jobs, audit, dispatcher, reconciler, campaigns, templates, runner, resolution, exporter, attributes,
    input, subjects, decide, started, states, kinds,
  };
}
