import type { Clock } from '../../shared/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { CAMPAIGN_SYSTEM } from './campaign-audit.js';
import { CLOSE_STEP, INVITE_STEP, isReminderStep, type Campaign, type CampaignStep, type DeliveryKind } from './campaign.js';
import type { CampaignPorts } from './campaign-ports.js';
import type { CampaignReconciler } from './campaign-reconciler.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';

/** What running a step came to. Only `done` finishes it; the others leave it for a later run. */
export type StepOutcome = 'done' | 'already-done' | 'not-due' | 'waiting-for-invite' | 'not-running' | 'stopped' | 'taken-over' | 'missing';

/** Progress after each committed page, for job progress and logs. */
export interface StepProgress {
  readonly campaignId: string;
  readonly step: string;
  readonly processed: number;
  readonly affected: number;
}

export interface RunOptions {
  /** Checked between pages: a worker shutting down stops at a page boundary and the step resumes later. */
  readonly shouldStop?: () => boolean;
  readonly onPage?: (progress: StepProgress) => Promise<void> | void;
}

export interface CampaignStepRunnerDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly reconciler: CampaignReconciler;
  readonly dispatcher: DeliveryDispatcher;
  readonly settings: { readonly pageSize: number };
}

class TakenOver extends Error {}

/**
 * Runs a campaign step as a fan-out over subjects in pages of `pageSize`, in subject id order. Each
 * page is one transaction that also moves the step's cursor, so a run killed at any point resumes
 * after the last committed page, and the unique keys make a page committed twice add nothing.
 */
export class CampaignStepRunner {
  constructor(private readonly deps: CampaignStepRunnerDeps) {}

  async run(campaignId: string, stepName: string, opts: RunOptions = {}): Promise<StepOutcome> {
    const ports = this.deps.uow.ports;
    const [campaign, step] = await Promise.all([ports.campaigns.findById(campaignId), ports.campaigns.step(campaignId, stepName)]);
    if (!campaign || !step) return 'missing';
    if (step.doneAt) return 'already-done';
    if (campaign.status !== 'running') return 'not-running';
    const now = this.deps.clock.now();
    if (step.dueAt.getTime() > now.getTime()) return 'not-due';
    if (stepName !== INVITE_STEP && !(await ports.campaigns.step(campaignId, INVITE_STEP))?.doneAt) return 'waiting-for-invite';
    if (isReminderStep(stepName) && now.getTime() >= campaign.dueAt.getTime()) {
      await ports.campaigns.finishStep(campaignId, stepName, now, 'skipped: due date passed');
      return 'done';
    }
    await ports.campaigns.startStep(campaignId, stepName, now);

    let cursor = step.cursor;
    let { processed, affected } = step;
    for (;;) {
      if (opts.shouldStop?.()) return 'stopped';
      if ((await ports.campaigns.findById(campaignId))?.status !== 'running') return 'not-running';
      let page: { done: boolean; cursor: string | null; size: number; affected: number; deliveryIds: string[] };
      try {
        page = await this.deps.uow.transaction((tx) => this.page(tx, campaign, stepName, cursor));
      } catch (error) {
        if (error instanceof TakenOver) return 'taken-over';
        throw error;
      }
      await this.deps.dispatcher.dispatch(page.deliveryIds);
      if (page.done) {
        // A fan-out changes most rows of the campaign tables at once: later pages of other steps and the
        // exports plan with fresh statistics rather than wait for autovacuum.
        if (processed >= this.deps.settings.pageSize * 10) await ports.members.refreshStatistics();
        return 'done';
      }
      cursor = page.cursor;
      processed += page.size;
      affected += page.affected;
      await opts.onPage?.({ campaignId, step: stepName, processed, affected });
    }
  }

  /** One page: the work, the new cursor and, on the empty page, the step's end, in one transaction. */
  private async page(ports: CampaignPorts, campaign: Campaign, stepName: string, cursor: string | null) {
    const locked = await ports.campaigns.step(campaign.id, stepName, true);
    if (!locked || locked.doneAt || locked.cursor !== cursor) throw new TakenOver();
    const { clock, settings } = this.deps;
    const now = clock.now();
    const ids = stepName === INVITE_STEP
      ? await ports.members.cohortPage(campaign.cohort, cursor, settings.pageSize)
      : (await ports.members.page(campaign.id, cursor, settings.pageSize)).map((m) => m.subjectId);
    if (!ids.length) {
      await this.finish(ports, campaign, locked, now);
      return { done: true, cursor, size: 0, affected: 0, deliveryIds: [] };
    }
    let affected = 0;
    let deliveryIds: string[];
    if (stepName === INVITE_STEP) {
      affected = (await ports.members.insert(campaign.id, ids, now)).length;
      deliveryIds = await ports.deliveries.insertForMembers(campaign.id, ids, 'notify', 'invitation', now, ['invited']);
    } else if (stepName === CLOSE_STEP) {
      const result = await this.deps.reconciler.applyWithin(ports, ids, campaign.id, true);
      affected = result.applied.filter((t) => t.to === 'overdue').length;
      deliveryIds = result.deliveryIds;
    } else {
      deliveryIds = await ports.deliveries.insertForMembers(campaign.id, ids, 'notify', stepName as DeliveryKind, now, ['invited', 'rejected']);
      affected = deliveryIds.length;
    }
    const last = ids[ids.length - 1]!;
    if (!(await ports.campaigns.advanceStep(campaign.id, stepName, cursor, last, ids.length, affected))) throw new TakenOver();
    return { done: false, cursor: last, size: ids.length, affected, deliveryIds };
  }

  private async finish(ports: CampaignPorts, campaign: Campaign, step: CampaignStep, now: Date): Promise<void> {
    await ports.campaigns.finishStep(campaign.id, step.step, now, 'completed');
    if (step.step !== CLOSE_STEP) return;
    const closed = await ports.campaigns.changeStatus(campaign.id, ['running'], { status: 'closed', stamp: 'closed_at' }, now);
    if (!closed) return;
    await ports.campaigns.finishOpenSteps(campaign.id, now, 'skipped: campaign closed');
    const counts = await ports.members.counts(campaign.id);
    await this.deps.audit.record({
      actor: CAMPAIGN_SYSTEM, action: 'campaign.closed', targetType: 'campaign', targetId: campaign.id, outcome: 'success',
      details: { overdue: counts.overdue ?? 0, needsReview: counts.needs_review ?? 0, verified: (counts.verified ?? 0) + (counts.verified_in_person ?? 0) },
    }, ports);
  }
}
