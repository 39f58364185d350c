import { closesAt } from './campaign.js';
import type { DeliveryContext } from './campaign-ports.js';

/** Event types as the receivers see them. */
export type WebhookEventType = 'campaign.invitation' | 'campaign.reminder' | 'campaign.subject-overdue' | 'campaign.subject-cleared';

/**
 * The JSON body of a message. Identifiers, dates and the kind only: the pension number (the office's
 * own id), the language for the SMS text, never a name, a passport field, an image or a score.
 */
export function buildWebhookBody(ctx: DeliveryContext, occurredAt: Date) {
  const campaign = { id: ctx.campaignId, opensAt: ctx.opensAt.toISOString(), dueAt: ctx.dueAt.toISOString(), closesAt: closesAt(ctx).toISOString() };
  const subject = { pensionNumber: ctx.pensionNumber, language: ctx.language };
  const base = { id: ctx.id, occurredAt: occurredAt.toISOString(), campaign, subject };
  if (ctx.kind === 'invitation') return { ...base, type: 'campaign.invitation' as WebhookEventType, reminder: { kind: 'invitation', hoursBeforeDue: null } };
  if (ctx.kind === 'payment-overdue') {
    return { ...base, type: 'campaign.subject-overdue' as WebhookEventType, state: 'overdue', overdueSince: ctx.overdueAt?.toISOString() ?? null };
  }
  if (ctx.kind === 'payment-cleared') return { ...base, type: 'campaign.subject-cleared' as WebhookEventType, state: ctx.memberState };
  const hours = Number(/^reminder-(\d+)h$/.exec(ctx.kind)?.[1]);
  return { ...base, type: 'campaign.reminder' as WebhookEventType, reminder: { kind: ctx.kind, hoursBeforeDue: hours } };
}
