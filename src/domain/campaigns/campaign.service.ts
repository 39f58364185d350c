import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorLabel, type Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { CampaignJobQueue, CampaignPorts, DeliveryRow, MemberRow } from './campaign-ports.js';
import {
  CLOSE_STEP, DEFAULT_REMINDERS, INVITE_STEP, MEMBER_STATES, closesAt, plannedSteps, reminderStep,
  type Campaign, type CampaignStatus, type Cohort, type DeliveryStatus, type MemberState, type Reminder,
} from './campaign.js';

/** What an operator gives to create a campaign. */
export interface CampaignInput {
  readonly name: string;
  readonly cohort: Cohort;
  readonly opensAt: Date;
  readonly dueAt: Date;
  readonly graceDays: number;
  readonly reminders?: readonly Reminder[];
}

export interface CampaignServiceDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly jobs: CampaignJobQueue;
  readonly settings: { readonly notifyUrl: string | null };
  /** Steps not enqueued now are enqueued by the tick; this only reports it. */
  readonly onEnqueueError?: (error: unknown) => void;
}

/** Life of campaigns: create, preview, start, pause, resume, cancel, move the deadline; progress. */
export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  /** How many subjects the cohort holds now (the fan-out takes them as they are when the campaign opens). */
  async previewCohort(cohort: Cohort): Promise<number> {
    validateCohort(cohort);
    return this.deps.uow.ports.members.countCohort(cohort);
  }

  async create(input: CampaignInput, actor: Actor, from?: { templateId: string; periodKey: string }): Promise<Campaign> {
    validateCohort(input.cohort);
    const reminders = [...(input.reminders ?? DEFAULT_REMINDERS)].sort((a, b) => b.hoursBeforeDue - a.hoursBeforeDue);
    const now = this.deps.clock.now();
    const problems: string[] = [];
    if (input.dueAt.getTime() <= input.opensAt.getTime()) problems.push('dueAt must be after opensAt');
    if (input.dueAt.getTime() <= now.getTime()) problems.push('dueAt must be in the future');
    if (new Set(reminders.map((r) => r.hoursBeforeDue)).size !== reminders.length) problems.push('reminders must differ');
    for (const r of reminders) {
      if (input.dueAt.getTime() - r.hoursBeforeDue * 3_600_000 <= input.opensAt.getTime()) {
        problems.push(`the reminder ${r.hoursBeforeDue} hours before due falls before the campaign opens`);
      }
    }
    if (problems.length) throw new ValidationError('INVALID_CAMPAIGN', 'The campaign is not valid.', { problems });
    const campaign: Campaign = {
      id: newId(), name: input.name, status: 'draft', cohort: input.cohort, opensAt: input.opensAt, dueAt: input.dueAt,
      graceDays: input.graceDays, reminders, templateId: from?.templateId ?? null, periodKey: from?.periodKey ?? null,
      createdAt: now, createdBy: actorLabel(actor), startedAt: null, pausedAt: null, closedAt: null, cancelledAt: null, cancelReason: null,
    };
    const created = await this.deps.uow.transaction(async (ports) => {
      if (!(await ports.campaigns.insert(campaign))) return false;
      await this.deps.audit.record({
        actor, action: 'campaign.created', targetType: 'campaign', targetId: campaign.id, outcome: 'success',
        details: { templateId: campaign.templateId, periodKey: campaign.periodKey },
      }, ports);
      return true;
    });
    if (!created) throw new ConflictError('CAMPAIGN_EXISTS', 'A campaign for this template period exists already.');
    return campaign;
  }

  async get(id: string): Promise<Campaign> {
    const campaign = await this.deps.uow.ports.campaigns.findById(id);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign "${id}".`);
    return campaign;
  }

  list(q: { status?: CampaignStatus; limit: number }): Promise<Campaign[]> {
    return this.deps.uow.ports.campaigns.list(q);
  }

  /** draft → running: the steps are planned, and each runs when due (the invitation at opensAt). */
  async start(id: string, actor: Actor): Promise<Campaign> {
    if (!this.deps.settings.notifyUrl) {
      throw new ConflictError('NOTIFY_WEBHOOK_NOT_CONFIGURED', 'Set NOTIFY_WEBHOOK_URL and WEBHOOK_SECRET: a campaign sends its invitations there.');
    }
    const now = this.deps.clock.now();
    const started = await this.deps.uow.transaction(async (ports) => {
      const c = await ports.campaigns.findById(id, true);
      if (!c) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign "${id}".`);
      if (c.status !== 'draft') throw new ConflictError('CAMPAIGN_NOT_DRAFT', `The campaign is ${c.status}; only a draft can be started.`);
      if (now.getTime() >= c.dueAt.getTime()) throw new ConflictError('CAMPAIGN_WINDOW_PASSED', 'The due date has passed; create a new campaign.');
      await ports.campaigns.insertSteps(id, plannedSteps(c));
      // A reminder whose time is already gone when the campaign starts would arrive together with the invitation.
      for (const r of c.reminders) {
        const at = c.dueAt.getTime() - r.hoursBeforeDue * 3_600_000;
        if (at <= now.getTime() && at > c.opensAt.getTime()) await ports.campaigns.finishStep(id, reminderStep(r), now, 'skipped: started after its time');
      }
      const running = await ports.campaigns.changeStatus(id, ['draft'], { status: 'running', stamp: 'started_at' }, now);
      await this.deps.audit.record({ actor, action: 'campaign.started', targetType: 'campaign', targetId: id, outcome: 'success' }, ports);
      return running!;
    });
    await this.enqueueOpenSteps(id);
    return started;
  }

  async pause(id: string, actor: Actor): Promise<Campaign> {
    return this.transition(id, ['running'], { status: 'paused', stamp: 'paused_at' }, actor, 'campaign.paused', 'CAMPAIGN_NOT_RUNNING');
  }

  async resume(id: string, actor: Actor): Promise<Campaign> {
    const campaign = await this.transition(id, ['paused'], { status: 'running', stamp: null }, actor, 'campaign.resumed', 'CAMPAIGN_NOT_PAUSED');
    await this.enqueueOpenSteps(id);
    return campaign;
  }

  /** Stops everything: no step runs and no pending message is sent. Members and sent messages stay on record. */
  async cancel(id: string, reason: string, actor: Actor): Promise<Campaign> {
    return this.deps.uow.transaction(async (ports) => {
      const now = this.deps.clock.now();
      const c = await ports.campaigns.changeStatus(id, ['draft', 'running', 'paused'], { status: 'cancelled', stamp: 'cancelled_at', reason }, now);
      if (!c) throw await refusal(ports, id, 'CAMPAIGN_NOT_CANCELLABLE', 'draft, running or paused');
      const cancelled = await ports.deliveries.cancelPending(id, now);
      await ports.campaigns.finishOpenSteps(id, now, 'skipped: campaign cancelled');
      await this.deps.audit.record({
        actor, action: 'campaign.cancelled', targetType: 'campaign', targetId: id, outcome: 'success', details: { messagesCancelled: cancelled },
      }, ports);
      return c;
    });
  }

  /** Moves the deadline (an outage of the app, a holiday) before the close has begun; unsent reminders move with it. */
  async changeDeadline(id: string, dueAt: Date, graceDays: number, actor: Actor): Promise<Campaign> {
    const now = this.deps.clock.now();
    const updated = await this.deps.uow.transaction(async (ports) => {
      const c = await ports.campaigns.findById(id, true);
      if (!c) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign "${id}".`);
      if (!['draft', 'running', 'paused'].includes(c.status)) throw new ConflictError('CAMPAIGN_CLOSED', `The campaign is ${c.status}.`);
      const close = await ports.campaigns.step(id, CLOSE_STEP);
      if (close?.startedAt) throw new ConflictError('CAMPAIGN_CLOSING', 'Overdue marking has begun; the deadline can no longer move.');
      if (dueAt.getTime() <= now.getTime() || dueAt.getTime() <= c.opensAt.getTime()) {
        throw new ValidationError('INVALID_CAMPAIGN', 'The campaign is not valid.', { problems: ['dueAt must be in the future and after opensAt'] });
      }
      const next = { ...c, dueAt, graceDays };
      await ports.campaigns.setDeadline(id, dueAt, graceDays);
      for (const s of plannedSteps(next)) if (s.step !== INVITE_STEP) await ports.campaigns.rescheduleStep(id, s.step, s.dueAt);
      await this.deps.audit.record({
        actor, action: 'campaign.deadline-changed', targetType: 'campaign', targetId: id, outcome: 'success',
        details: { from: c.dueAt.toISOString(), to: dueAt.toISOString(), graceDays },
      }, ports);
      return next;
    });
    await this.enqueueOpenSteps(id);
    return updated;
  }

  /** Counts by state (every state, zeros included), the steps with their cursors, and the messages by status. */
  async progress(id: string) {
    const campaign = await this.get(id);
    const ports = this.deps.uow.ports;
    const [raw, steps, deliveries] = await Promise.all([ports.members.counts(id), ports.campaigns.steps(id), ports.deliveries.counts(id)]);
    const counts = Object.fromEntries(MEMBER_STATES.map((s) => [s, raw[s] ?? 0])) as Record<(typeof MEMBER_STATES)[number], number>;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const done = counts.verified + counts.verified_in_person + counts.exempt;
    return {
      campaign, counts, total, done, percentDone: total ? Math.round((done / total) * 1000) / 10 : 0,
      closesAt: closesAt(campaign), steps, deliveries,
    };
  }

  /** A page of members (pension number, state, dates) in a stable order; `after` is the last row's cursor. */
  async members(id: string, q: { state?: MemberState; after: string | null; limit: number }): Promise<MemberRow[]> {
    await this.get(id);
    return this.deps.uow.ports.members.rows(id, { states: q.state ? [q.state] : undefined, afterId: q.after, limit: q.limit });
  }

  async deliveries(id: string, q: { status?: DeliveryStatus; after: string | null; limit: number }): Promise<DeliveryRow[]> {
    await this.get(id);
    return this.deps.uow.ports.deliveries.list(id, { status: q.status, afterId: q.after, limit: q.limit });
  }

  /** Dead-lettered messages get a fresh round of attempts (after the gateway is fixed); the dispatcher sends them. */
  async retryDead(id: string, actor: Actor): Promise<number> {
    await this.get(id);
    return this.deps.uow.transaction(async (ports) => {
      const n = await ports.deliveries.retryDead(id);
      await this.deps.audit.record({
        actor, action: 'campaign.deliveries-retried', targetType: 'campaign', targetId: id, outcome: 'success', details: { messages: n },
      }, ports);
      return n;
    });
  }

  /** Due steps are enqueued now, later ones as delayed jobs; the tick does the same if Redis was down. */
  private async enqueueOpenSteps(id: string): Promise<void> {
    try {
      for (const s of await this.deps.uow.ports.campaigns.steps(id)) {
        if (!s.doneAt) await this.deps.jobs.enqueueStep(id, s.step, this.deps.clock.msUntil(s.dueAt));
      }
    } catch (error) {
      this.deps.onEnqueueError?.(error);
    }
  }

  private async transition(
    id: string, from: CampaignStatus[], change: { status: 'running'; stamp: null } | { status: 'paused'; stamp: 'paused_at' },
    actor: Actor, action: 'campaign.paused' | 'campaign.resumed', code: string,
  ): Promise<Campaign> {
    return this.deps.uow.transaction(async (ports) => {
      const c = await ports.campaigns.changeStatus(id, from, change, this.deps.clock.now());
      if (!c) throw await refusal(ports, id, code, from.join(' or '));
      await this.deps.audit.record({ actor, action: action, targetType: 'campaign', targetId: id, outcome: 'success' }, ports);
      return c;
    });
  }
}

/** Why a status change did not apply; read through the transaction's own scope (the outer handle would wait on it). */
async function refusal(ports: CampaignPorts, id: string, code: string, expected: string) {
  const c = await ports.campaigns.findById(id);
  if (!c) return new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign "${id}".`);
  return new ConflictError(code, `The campaign is ${c.status}; this needs it ${expected}.`, { status: c.status });
}

function validateCohort(cohort: Cohort): void {
  if (cohort.birthYearFrom !== undefined && cohort.birthYearTo !== undefined && cohort.birthYearFrom > cohort.birthYearTo) {
    throw new ValidationError('INVALID_COHORT', 'birthYearFrom must not be after birthYearTo.');
  }
}
