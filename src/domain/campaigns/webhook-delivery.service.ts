import type { Clock } from '../../shared/clock.js';
import { systemClock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { CampaignPorts, DeliveryContext, WebhookTransport } from './campaign-ports.js';
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

export interface WebhookDeliveryServiceDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly transport: WebhookTransport;
  readonly settings: Pick<CampaignSettings, 'notifyUrl' | 'paymentUrl' | 'secret' | 'webhookTimeoutMs'>;
  readonly clock: Clock;
  /** Signature timestamps are wall-clock time: the receiver checks them against its own clock (default: the system clock). */
  readonly wallClock?: Clock;
}

/**
 * Sends one outbox message as a signed webhook. The row is re-read on every attempt, so a message
 * already sent, a campaign paused or cancelled, or a pensioner who verified meanwhile sends nothing.
 */
export class WebhookDeliveryService {
  constructor(private readonly deps: WebhookDeliveryServiceDeps) {}

  /** `finalAttempt`: a failure now dead-letters the message instead of asking for a retry. */
  async deliver(deliveryId: string, finalAttempt: boolean): Promise<DeliveryOutcome> {
    const ports = this.deps.uow.ports;
    const ctx = await ports.deliveries.context(deliveryId);
    if (!ctx) return 'missing';
    if (ctx.status !== 'pending') return 'skipped';
    const now = this.deps.clock.now();
    if (ctx.campaignStatus === 'cancelled' || ctx.campaignStatus === 'draft') {
      await ports.deliveries.finish(ctx.id, 'cancelled', now, { attempted: false });
      return 'cancelled';
    }
    if (ctx.campaignStatus === 'paused') {
      await ports.deliveries.hold(ctx.id);
      return 'held';
    }
    const relevant = await this.stillRelevant(ctx, now);
    if (relevant === 'wait') {
      if (!finalAttempt) throw new DeliveryAttemptError('waiting for the overdue message to this subject to settle', null);
      await ports.deliveries.hold(ctx.id);
      return 'held';
    }
    if (!relevant) {
      await ports.deliveries.finish(ctx.id, 'superseded', now, { attempted: false });
      return 'superseded';
    }

    const url = ctx.channel === 'payment' ? this.deps.settings.paymentUrl : this.deps.settings.notifyUrl;
    if (!url || !this.deps.settings.secret) {
      await ports.deliveries.finish(ctx.id, 'dead', now, { attempted: false, error: 'WEBHOOK_NOT_CONFIGURED' });
      return 'dead';
    }
    const body = JSON.stringify(buildWebhookBody(ctx, now));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'zinda-webhooks/1',
      'x-zinda-delivery': ctx.id,
      'x-zinda-event': ctx.kind,
      [SIGNATURE_HEADER.toLowerCase()]: signWebhook(this.deps.settings.secret, body, Math.floor((this.deps.wallClock ?? systemClock).now().getTime() / 1000)),
    };
    let status: number | null = null;
    let error: string;
    try {
      status = (await this.deps.transport.post(url, body, headers, this.deps.settings.webhookTimeoutMs)).status;
      if (status >= 200 && status < 300) {
        await ports.deliveries.finish(ctx.id, 'sent', this.deps.clock.now(), { attempted: true, responseStatus: status, error: null });
        return 'sent';
      }
      error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'TIMEOUT' : `NETWORK: ${(e as Error).message}`.slice(0, 200);
    }
    if (finalAttempt || (status !== null && permanent(status))) {
      await ports.deliveries.finish(ctx.id, 'dead', this.deps.clock.now(), { attempted: true, responseStatus: status, error });
      return 'dead';
    }
    await ports.deliveries.recordFailure(ctx.id, error, status);
    throw new DeliveryAttemptError(error, status);
  }

  /** Whether the message still says something true; 'wait' while an earlier message it depends on is unsettled. */
  private async stillRelevant(ctx: DeliveryContext, now: Date): Promise<boolean | 'wait'> {
    switch (ctx.kind) {
      case 'payment-overdue':
        return ctx.memberState === 'overdue';
      case 'payment-cleared': {
        // "Cleared" only means something to a payment system that was told "overdue".
        const overdue = await this.deps.uow.ports.deliveries.statusOf(ctx.campaignId, ctx.subjectId, 'payment-overdue');
        if (overdue === 'pending') return 'wait';
        return overdue === 'sent' && ctx.memberState !== 'overdue';
      }
      default:
        // Invitations and reminders: only to those who still owe a proof, and never after the deadline.
        return awaitsProof(ctx.memberState) && now.getTime() < ctx.dueAt.getTime();
    }
  }
}
