import type { Clock } from '../../shared/clock.js';
import { systemClock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { campaignRepositories } from '../../storage/repositories/campaign.repository.js';
import type { DeliveryContext } from '../../storage/repositories/campaign-delivery.repository.js';
import type { WebhookTransport } from './campaign-ports.js';
import type { CampaignSettings } from './campaign-settings.js';
import { awaitsProof } from './member-state.js';
import { buildWebhookBody } from './webhook-message.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

export type DeliveryOutcome = 'sent' | 'dead' | 'superseded' | 'cancelled' | 'held' | 'skipped' | 'missing';

/** A failed attempt that should be retried with backoff (the queue decides when). */
export class DeliveryAttemptError extends Error {
  constructor(message: string, readonly responseStatus: number | null) {
    super(message);
    this.name = 'DeliveryAttemptError';
  }
}

// A 4xx says the message itself is refused: retrying cannot help. 408, 425 and 429 are "later".
const permanent = (status: number) => status >= 400 && status < 500 && ![408, 425, 429].includes(status);

/**
 * Sends one outbox message as a signed webhook. The row is re-read on every attempt, so a message
 * already sent, a campaign paused or cancelled, or a pensioner who verified meanwhile sends nothing.
 */
export class WebhookDeliveryService {
  constructor(
    private readonly db: Database,
    private readonly transport: WebhookTransport,
    private readonly settings: Pick<CampaignSettings, 'notifyUrl' | 'paymentUrl' | 'secret' | 'webhookTimeoutMs'>,
    private readonly clock: Clock,
    /** Signature timestamps are wall-clock time: the receiver checks them against its own clock. */
    private readonly wallClock: Clock = systemClock,
  ) {}

  /** `finalAttempt`: a failure now dead-letters the message instead of asking for a retry. */
  async deliver(deliveryId: string, finalAttempt: boolean): Promise<DeliveryOutcome> {
    const repos = campaignRepositories(this.db);
    const ctx = await repos.deliveries.context(deliveryId);
    if (!ctx) return 'missing';
    if (ctx.status !== 'pending') return 'skipped';
    const now = this.clock.now();
    if (ctx.campaignStatus === 'cancelled' || ctx.campaignStatus === 'draft') {
      await repos.deliveries.finish(ctx.id, 'cancelled', now, { attempted: false });
      return 'cancelled';
    }
    if (ctx.campaignStatus === 'paused') {
      await repos.deliveries.hold(ctx.id);
      return 'held';
    }
    const relevant = await this.stillRelevant(ctx, now);
    if (relevant === 'wait') {
      if (!finalAttempt) throw new DeliveryAttemptError('waiting for the overdue message to this subject to settle', null);
      await repos.deliveries.hold(ctx.id);
      return 'held';
    }
    if (!relevant) {
      await repos.deliveries.finish(ctx.id, 'superseded', now, { attempted: false });
      return 'superseded';
    }

    const url = ctx.channel === 'payment' ? this.settings.paymentUrl : this.settings.notifyUrl;
    if (!url || !this.settings.secret) {
      await repos.deliveries.finish(ctx.id, 'dead', now, { attempted: false, error: 'WEBHOOK_NOT_CONFIGURED' });
      return 'dead';
    }
    const body = JSON.stringify(buildWebhookBody(ctx, now));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'zinda-webhooks/1',
      'x-zinda-delivery': ctx.id,
      'x-zinda-event': ctx.kind,
      [SIGNATURE_HEADER.toLowerCase()]: signWebhook(this.settings.secret, body, Math.floor(this.wallClock.now().getTime() / 1000)),
    };
    let status: number | null = null;
    let error: string;
    try {
      status = (await this.transport.post(url, body, headers, this.settings.webhookTimeoutMs)).status;
      if (status >= 200 && status < 300) {
        await repos.deliveries.finish(ctx.id, 'sent', this.clock.now(), { attempted: true, responseStatus: status, error: null });
        return 'sent';
      }
      error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'TIMEOUT' : `NETWORK: ${(e as Error).message}`.slice(0, 200);
    }
    if (finalAttempt || (status !== null && permanent(status))) {
      await repos.deliveries.finish(ctx.id, 'dead', this.clock.now(), { attempted: true, responseStatus: status, error });
      return 'dead';
    }
    await repos.deliveries.recordFailure(ctx.id, error, status);
    throw new DeliveryAttemptError(error, status);
  }

  /** Whether the message still says something true; 'wait' while an earlier message it depends on is unsettled. */
  private async stillRelevant(ctx: DeliveryContext, now: Date): Promise<boolean | 'wait'> {
    switch (ctx.kind) {
      case 'payment-overdue':
        return ctx.memberState === 'overdue';
      case 'payment-cleared': {
        // "Cleared" only means something to a payment system that was told "overdue".
        const overdue = await campaignRepositories(this.db).deliveries.statusOf(ctx.campaignId, ctx.subjectId, 'payment-overdue');
        if (overdue === 'pending') return 'wait';
        return overdue === 'sent' && ctx.memberState !== 'overdue';
      }
      default:
        // Invitations and reminders: only to those who still owe a proof, and never after the deadline.
        return awaitsProof(ctx.memberState) && now.getTime() < ctx.dueAt.getTime();
    }
  }
}
