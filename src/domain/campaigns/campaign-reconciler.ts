import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { DeliveryKind } from './campaign.js';
import type { CampaignPorts, Transition } from './campaign-ports.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';
import { paymentEvent, reconcileState, type Phase } from './member-state.js';

const WATERMARK = 'submissions';
/** Submissions that commit out of completed_at order are caught by re-reading this much before the watermark. */
const OVERLAP_MS = 5 * 60_000;

export interface CampaignReconcilerDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly clock: Clock;
  readonly dispatcher: DeliveryDispatcher;
  readonly settings: { readonly paymentUrl: string | null; readonly pageSize: number };
}

/**
 * Keeps members' states in step with their submissions. Three ways in, all idempotent: a submission
 * just decided (onSubmissionDecided), the periodic incremental pass over submissions completed or
 * reviewed since a watermark (reconcileRecent), and the close step, page by page.
 */
export class CampaignReconciler {
  constructor(private readonly deps: CampaignReconcilerDeps) {}

  /**
   * Re-derives the states of these subjects (in one campaign, or in every live one) through a transaction's
   * `ports`, and adds the payment messages their transitions call for. Returns the new message ids to dispatch
   * after commit.
   */
  async applyWithin(ports: CampaignPorts, subjectIds: readonly string[], campaignId: string | null, closing = false) {
    const now = this.deps.clock.now();
    const planned: Transition[] = [];
    for (const c of await ports.members.candidates(subjectIds, campaignId)) {
      const phase: Phase = closing ? 'closing' : c.campaignStatus === 'closed' ? 'closed' : 'open';
      const to = reconcileState(c.state, c.bestDecision, phase);
      if (to !== c.state) planned.push({ campaignId: c.campaignId, subjectId: c.subjectId, from: c.state, to, submissionId: c.bestSubmissionId });
    }
    const applied = await ports.members.apply(planned, now);
    const deliveryIds: string[] = [];
    if (this.deps.settings.paymentUrl) {
      const groups = new Map<string, { campaignId: string; kind: DeliveryKind; subjects: string[] }>();
      for (const t of applied) {
        const kind = paymentEvent(t.from, t.to);
        if (!kind) continue;
        const key = `${t.campaignId}/${kind}`;
        const group = groups.get(key) ?? { campaignId: t.campaignId, kind, subjects: [] };
        group.subjects.push(t.subjectId);
        groups.set(key, group);
      }
      for (const g of groups.values()) {
        deliveryIds.push(...await ports.deliveries.insertForMembers(g.campaignId, g.subjects, 'payment', g.kind, now));
      }
    }
    return { applied, deliveryIds };
  }

  async reconcileSubjects(subjectIds: readonly string[], campaignId: string | null = null): Promise<Transition[]> {
    if (!subjectIds.length) return [];
    const { applied, deliveryIds } = await this.deps.uow.transaction((ports) => this.applyWithin(ports, subjectIds, campaignId));
    await this.deps.dispatcher.dispatch(deliveryIds);
    return applied;
  }

  /** For the submission worker to call after a decision: the member's state follows at once. */
  async onSubmissionDecided(submissionId: string): Promise<Transition[]> {
    const subjectId = await this.deps.uow.ports.members.subjectOfSubmission(submissionId);
    return subjectId ? this.reconcileSubjects([subjectId]) : [];
  }

  /** Every submission decided since the last pass, page by page; moves the watermark when done. */
  async reconcileRecent(): Promise<{ scanned: number; changed: number }> {
    const repos = this.deps.uow.ports;
    const to = this.deps.clock.now();
    const mark = await repos.campaigns.watermark(WATERMARK);
    const live = await repos.campaigns.listByStatus(['running', 'paused', 'closed']);
    if (!live.length) {
      await repos.campaigns.setWatermark(WATERMARK, to);
      return { scanned: 0, changed: 0 };
    }
    const earliestOpen = new Date(Math.min(...live.map((c) => c.opensAt.getTime())));
    const from = mark ? new Date(Math.max(mark.getTime() - OVERLAP_MS, 0)) : earliestOpen;
    let after: { at: string; id: string } | null = null;
    let scanned = 0;
    let changed = 0;
    for (;;) {
      const page = await repos.members.decidedSince(from, to, after, this.deps.settings.pageSize);
      if (!page.length) break;
      scanned += page.length;
      changed += (await this.reconcileSubjects([...new Set(page.map((s) => s.subjectId))])).length;
      const last = page[page.length - 1]!;
      after = { at: last.at, id: last.id };
    }
    let afterSeq = 0;
    for (;;) {
      const page = await repos.members.reviewedSince(from, to, afterSeq, this.deps.settings.pageSize);
      if (!page.length) break;
      scanned += page.length;
      changed += (await this.reconcileSubjects([...new Set(page.map((r) => r.subjectId))])).length;
      afterSeq = page[page.length - 1]!.seq;
    }
    await repos.campaigns.setWatermark(WATERMARK, to);
    return { scanned, changed };
  }
}
