import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { CampaignJobQueue, CampaignPorts } from './campaign-ports.js';
import type { CampaignReconciler } from './campaign-reconciler.js';
import type { CampaignTemplateService } from './campaign-template.service.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';

export interface CampaignTickerDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly clock: Clock;
  readonly jobs: CampaignJobQueue;
  readonly templates: CampaignTemplateService;
  readonly reconciler: CampaignReconciler;
  readonly dispatcher: DeliveryDispatcher;
  /** A part that failed (the others still ran; the next tick tries again); this only reports it. */
  readonly onError?: (part: string, error: unknown) => void;
}

/**
 * The database backstop of every campaign timer (convention 4), run by a job scheduler: templates
 * whose period began, steps that are due (or whose delayed job Redis lost), messages waiting in the
 * outbox, and submissions decided since the last pass. Each part is idempotent; one failing does not stop the rest.
 */
export class CampaignTicker {
  constructor(private readonly deps: CampaignTickerDeps) {}

  async tick() {
    const summary = { templates: 0, steps: 0, reconciled: 0, dispatched: 0, released: 0 };
    const ports = this.deps.uow.ports;
    await this.part('templates', async () => {
      for (const t of await ports.campaignTemplates.list(true)) {
        const r = await this.deps.templates.ensureCurrent(t.id).catch((error: unknown) => this.deps.onError?.(`template ${t.id}`, error));
        if (r && (r.outcome === 'created' || r.outcome === 'started')) summary.templates += 1;
      }
    });
    await this.part('steps', async () => {
      for (const s of await ports.campaigns.openSteps()) {
        await this.deps.jobs.enqueueStep(s.campaignId, s.step, this.deps.clock.msUntil(s.dueAt));
        summary.steps += 1;
      }
    });
    await this.part('reconcile', async () => {
      summary.reconciled = (await this.deps.reconciler.reconcileRecent()).changed;
    });
    await this.part('dispatch', async () => {
      summary.released = await this.deps.dispatcher.releaseStale();
      summary.dispatched = await this.deps.dispatcher.drain();
    });
    return summary;
  }

  private async part(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.deps.onError?.(name, error);
    }
  }
}
