import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../../shared/clock.js';
import type { Recurrence } from './recurrence.js';

/** Life of a campaign: draft → running ⇄ paused → closed; cancelled from any state but closed. */
export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'closed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * A subject's state in one campaign. verified / needs_review / rejected follow their submissions;
 * overdue is set at due + grace; exempt and verified_in_person are an operator's decision and final.
 */
export const MEMBER_STATES = ['invited', 'verified', 'needs_review', 'rejected', 'overdue', 'exempt', 'verified_in_person'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

/** Which active subjects a campaign asks. Every filter is optional; all given filters must hold. */
export const cohortSchema = z.object({
  regions: z.array(z.string().trim().min(1).max(60)).min(1).max(200).optional().describe('Region codes (subject attributes)'),
  offices: z.array(z.string().trim().min(1).max(60)).min(1).max(500).optional().describe('Pension office codes'),
  birthYearFrom: z.number().int().min(1900).max(2100).optional(),
  birthYearTo: z.number().int().min(1900).max(2100).optional(),
  lastVerifiedBefore: z.iso.datetime({ offset: true }).optional()
    .describe('Only subjects without a verified proof of life since this time'),
  newestReferenceBefore: z.iso.datetime({ offset: true }).optional()
    .describe('Only enrolled subjects whose newest reference was taken before this time (aged templates: invite for in-person re-enrolment)'),
}).strict();
export type Cohort = z.infer<typeof cohortSchema>;

/** A reminder, as hours before the due time (168 = a week before; 12 = on the due date). */
export const reminderSchema = z.object({ hoursBeforeDue: z.number().int().min(1).max(8760) }).strict();
export type Reminder = z.infer<typeof reminderSchema>;

export const DEFAULT_REMINDERS: readonly Reminder[] = [{ hoursBeforeDue: 168 }, { hoursBeforeDue: 12 }];

export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly status: CampaignStatus;
  readonly cohort: Cohort;
  readonly opensAt: Date;
  /** The deadline for a proof of life. */
  readonly dueAt: Date;
  /** Days after dueAt before anyone is marked overdue. */
  readonly graceDays: number;
  readonly reminders: readonly Reminder[];
  readonly templateId: string | null;
  readonly periodKey: string | null;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly startedAt: Date | null;
  readonly pausedAt: Date | null;
  readonly closedAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly cancelReason: string | null;
}

/** invite (at open), reminder-<h>h (h hours before due), close (at due + grace). */
export type StepName = string;

/** One resumable step of a campaign, with the cursor of its fan-out. */
export interface CampaignStep {
  readonly campaignId: string;
  readonly step: StepName;
  readonly dueAt: Date;
  readonly cursor: string | null;
  readonly processed: number;
  readonly affected: number;
  readonly startedAt: Date | null;
  readonly doneAt: Date | null;
  readonly outcome: string | null;
}

export const INVITE_STEP = 'invite';
export const CLOSE_STEP = 'close';
export const reminderStep = (r: Reminder): StepName => `reminder-${r.hoursBeforeDue}h`;
export const isReminderStep = (step: StepName) => /^reminder-\d+h$/.test(step);

/** When members without a successful proof of life become overdue. */
export function closesAt(c: Pick<Campaign, 'dueAt' | 'graceDays'>): Date {
  return new Date(c.dueAt.getTime() + c.graceDays * DAY_MS);
}

/** The steps of a campaign and when each is due. */
export function plannedSteps(c: Pick<Campaign, 'opensAt' | 'dueAt' | 'graceDays' | 'reminders'>): { step: StepName; dueAt: Date }[] {
  return [
    { step: INVITE_STEP, dueAt: c.opensAt },
    ...c.reminders.map((r) => ({ step: reminderStep(r), dueAt: new Date(c.dueAt.getTime() - r.hoursBeforeDue * HOUR_MS) })),
    { step: CLOSE_STEP, dueAt: closesAt(c) },
  ];
}

/** Delivery kinds: what a webhook message is about. */
export type DeliveryKind = 'invitation' | `reminder-${number}h` | 'payment-overdue' | 'payment-cleared';
export type DeliveryChannel = 'notify' | 'payment';
export type DeliveryStatus = 'pending' | 'sent' | 'dead' | 'cancelled' | 'superseded';

/** A recurring campaign: every period a campaign is made from it. */
export interface CampaignTemplate {
  readonly id: string;
  readonly name: string;
  readonly cohort: Cohort;
  readonly recurrence: Recurrence;
  readonly anchorMonth: number;
  readonly anchorDay: number;
  readonly windowDays: number;
  readonly graceDays: number;
  readonly reminders: readonly Reminder[];
  readonly autoStart: boolean;
  /** A deactivated template makes no more campaigns; those it made stay as they are. */
  readonly active: boolean;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** What cohorts are selected by: region and office codes, birth year. */
export interface SubjectAttributes {
  readonly region: string | null;
  readonly office: string | null;
  readonly birthYear: number | null;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}
