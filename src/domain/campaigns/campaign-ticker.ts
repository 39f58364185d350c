import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { campaignRepositories } from '../../storage/repositories/campaign.repository.js';
import type { CampaignJobQueue } from './campaign-ports.js';
import type { CampaignReconciler } from './campaign-reconciler.js';
import type { CampaignTemplateService } from './campaign-template.service.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';

/**
 * The database backstop of every campaign timer (convention 4), run by a job scheduler: templates
 * whose period began, steps that are due (or whose delayed job Redis lost), messages waiting in the
 * outbox, and submissions decided since the last pass. Each part is idempotent; one failing does not stop the rest.
 */
export class CampaignTicker {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly jobs: CampaignJobQueue,
    private readonly templates: CampaignTemplateService,
    private readonly reconciler: CampaignReconciler,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly onError: (part: string, error: unknown) => void = () => undefined,
  ) {}

  async tick() {
    const summary = { templates: 0, steps: 0, reconciled: 0, dispatched: 0, released: 0 };
    const repos = campaignRepositories(this.db);
    await this.part('templates', async () => {
      for (const t of await repos.templates.list(true)) {
        const r = await this.templates.ensureCurrent(t.id).catch((error: unknown) => this.onError(`template ${t.id}`, error));
        if (r && (r.outcome === 'created' || r.outcome === 'started')) summary.templates += 1;
      }
    });
    await this.part('steps', async () => {
      for (const s of await repos.campaigns.openSteps()) {
        await this.jobs.enqueueStep(s.campaignId, s.step, this.clock.msUntil(s.dueAt));
        summary.steps += 1;
      }
    });
    await this.part('reconcile', async () => {
      summary.reconciled = (await this.reconciler.reconcileRecent()).changed;
    });
    await this.part('dispatch', async () => {
      summary.released = await this.dispatcher.releaseStale();
      summary.dispatched = await this.dispatcher.drain();
    });
    return summary;
  }

  private async part(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.onError(name, error);
    }
  }
}
