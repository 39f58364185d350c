import type { AuditAction } from '../audit/audit-entry.js';

/** Audit actions of campaigns (listed in src/domain/audit/audit-entry.ts as well). */
export type CampaignAuditAction =
  | 'campaign.created' | 'campaign.started' | 'campaign.paused' | 'campaign.resumed' | 'campaign.cancelled'
  | 'campaign.deadline-changed' | 'campaign.closed' | 'campaign.case-closed' | 'campaign.overdue-exported'
  | 'campaign.deliveries-retried' | 'campaign-template.created' | 'campaign-template.deactivated'
  | 'subject.attributes-set';

/** Bridges the two lists while audit-entry.ts is edited separately; a no-op once it names these actions. */
export const campaignAction = (action: CampaignAuditAction): AuditAction => action as string as AuditAction;

/** The system actor of campaign jobs. */
export const CAMPAIGN_SYSTEM = { type: 'system', id: 'campaigns', role: null } as const;
