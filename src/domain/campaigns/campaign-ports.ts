import type { AuditPorts } from '../audit/audit-ports.js';
import type { SubjectRepository } from '../subjects/subject-ports.js';
import type {
  Campaign, CampaignStatus, CampaignStep, CampaignTemplate, Cohort, DeliveryChannel, DeliveryKind, DeliveryStatus, MemberState,
  Reminder, StepName, SubjectAttributes,
} from './campaign.js';
import type { Decision } from './member-state.js';

/** Campaign control jobs; implemented over BullMQ in src/queue/campaign.producer.ts. */
export interface CampaignJobQueue {
  /** Idempotent per (campaign, step) while the job exists; delayMs 0 = now. */
  enqueueStep(campaignId: string, step: StepName, delayMs: number): Promise<void>;
  /** Registers (or updates) a template's job scheduler at a cron pattern (UTC). */
  scheduleTemplate(templateId: string, pattern: string): Promise<void>;
  unscheduleTemplate(templateId: string): Promise<void>;
}

/** Webhook delivery jobs, one per message (jobId webhook-<delivery id>). */
export interface DeliveryQueue {
  enqueueDeliveries(deliveryIds: readonly string[]): Promise<void>;
  /** Delivery jobs waiting, delayed or running: the fan-out stops feeding Redis above a limit. */
  backlog(): Promise<number>;
}

/** One signed HTTP POST. Throws on a network failure or timeout; returns the status otherwise. */
export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number }>;
}

/** A status change and the time it stamps (the first stamp of each kind is kept). */
export type StatusChange =
  | { status: 'running'; stamp: 'started_at' | null }
  | { status: 'paused'; stamp: 'paused_at' }
  | { status: 'closed'; stamp: 'closed_at' }
  | { status: 'cancelled'; stamp: 'cancelled_at'; reason: string };

/** Campaigns, their steps (with fan-out cursors) and the reconcile watermarks. */
export interface CampaignRepository {
  /** false when a campaign already exists for the same template period. */
  insert(c: Campaign): Promise<boolean>;
  /** `lock`: the row stays locked until the transaction ends (status changes read, check, then write). */
  findById(id: string, lock?: boolean): Promise<Campaign | null>;
  findByPeriod(templateId: string, periodKey: string): Promise<Campaign | null>;
  /** Newest first. */
  list(q: { status?: CampaignStatus; limit: number }): Promise<Campaign[]>;
  /** Oldest first. */
  listByStatus(statuses: readonly CampaignStatus[]): Promise<Campaign[]>;
  /** Moves to a status only from one of `from` (the guard makes concurrent requests safe); null when refused. */
  changeStatus(id: string, from: readonly CampaignStatus[], change: StatusChange, at: Date): Promise<Campaign | null>;
  setDeadline(id: string, dueAt: Date, graceDays: number): Promise<void>;
  /** Steps already planned are kept as they are. */
  insertSteps(campaignId: string, steps: readonly { step: StepName; dueAt: Date }[]): Promise<void>;
  /** In due order. */
  steps(campaignId: string): Promise<CampaignStep[]>;
  /** `lock`: as in findById; a page of a fan-out holds its step's lock. */
  step(campaignId: string, step: StepName, lock?: boolean): Promise<CampaignStep | null>;
  /** Stamps the first start only. */
  startStep(campaignId: string, step: StepName, at: Date): Promise<void>;
  /**
   * Commits one page of a fan-out: the new cursor and counters. The guard on the old cursor makes a
   * second runner of the same step (a job taken over while the first still ran) fail instead of double counting.
   */
  advanceStep(campaignId: string, step: StepName, from: string | null, to: string, processed: number, affected: number): Promise<boolean>;
  /** false when the step was done already. */
  finishStep(campaignId: string, step: StepName, at: Date, outcome: string): Promise<boolean>;
  /** Ends every step not run yet (the campaign closed or was cancelled), so none is left waiting. */
  finishOpenSteps(campaignId: string, at: Date, outcome: string): Promise<void>;
  /** Only a step not done yet moves. */
  rescheduleStep(campaignId: string, step: StepName, dueAt: Date): Promise<void>;
  /** Unfinished steps of running campaigns, in due order. */
  openSteps(): Promise<CampaignStep[]>;
  watermark(name: string): Promise<Date | null>;
  /** Never moves a watermark back. */
  setWatermark(name: string, at: Date): Promise<void>;
}

/** A member with the best decision among their completed submissions since the campaign opened. */
export interface ReconcileCandidate {
  readonly campaignId: string;
  readonly subjectId: string;
  readonly state: MemberState;
  readonly campaignStatus: CampaignStatus;
  readonly bestDecision: Decision | null;
  readonly bestSubmissionId: string | null;
}

/** A member's change of state, and the submission that caused it (null: the close or an operator). */
export interface Transition {
  readonly campaignId: string;
  readonly subjectId: string;
  readonly from: MemberState;
  readonly to: MemberState;
  readonly submissionId: string | null;
}

/** One row of a member listing or export. No identity field beyond the pension number. */
export interface MemberRow {
  readonly subjectId: string;
  readonly pensionNumber: string;
  readonly state: MemberState;
  readonly invitedAt: Date;
  readonly stateChangedAt: Date;
  readonly overdueAt: Date | null;
  readonly decision: Decision | null;
  readonly region: string | null;
  readonly office: string | null;
  readonly resolvedBy: string | null;
}

/** Memberships of subjects in campaigns, and the reads that select and reconcile them. */
export interface CampaignMemberRepository {
  /** Active subjects matching the cohort now. */
  countCohort(cohort: Cohort): Promise<number>;
  /** The next page of the cohort's subject ids after `afterId`, in subject id order. */
  cohortPage(cohort: Cohort, afterId: string | null, limit: number): Promise<string[]>;
  /** Adds members as invited; a re-run adds nobody twice. Returns who was new. */
  insert(campaignId: string, subjectIds: readonly string[], at: Date): Promise<string[]>;
  /** The next page of members after `afterId`, in subject id order. */
  page(campaignId: string, afterId: string | null, limit: number): Promise<{ subjectId: string; state: MemberState }[]>;
  /**
   * Members of the given subjects (in one campaign, or in every running, paused or closed one; final states left
   * out) with their best decision: verified > needs_review > rejected, then the latest, among completed
   * submissions made since the campaign opened.
   */
  candidates(subjectIds: readonly string[], campaignId: string | null): Promise<ReconcileCandidate[]>;
  /** Applies transitions, each only if the member is still in its `from` state; returns those applied. */
  apply(transitions: readonly Transition[], at: Date): Promise<Transition[]>;
  /** An operator closes a case (in-person verification or exemption); false when the member was not in `from`. */
  resolve(campaignId: string, subjectId: string, from: MemberState, to: 'exempt' | 'verified_in_person', by: string, reason: string, at: Date): Promise<boolean>;
  /**
   * Submissions completed in (from, to], in (completed time, id) order after a keyset cursor. `at` is the
   * cursor's time as storage wrote it, kept opaque so that no precision is lost between pages.
   */
  decidedSince(from: Date, to: Date, after: { at: string; id: string } | null, limit: number): Promise<{ id: string; subjectId: string; at: string }[]>;
  /** Subjects whose case a reviewer decided in (from, to], after the audit sequence number `afterSeq`. */
  reviewedSince(from: Date, to: Date, afterSeq: number, limit: number): Promise<{ seq: number; subjectId: string }[]>;
  subjectOfSubmission(submissionId: string): Promise<string | null>;
  find(campaignId: string, subjectId: string): Promise<{ state: MemberState } | null>;
  /** Members by state; states nobody is in are absent. */
  counts(campaignId: string): Promise<Partial<Record<MemberState, number>>>;
  /** A page of members for listings and exports, in subject id order. */
  rows(campaignId: string, q: { states?: readonly MemberState[]; afterId: string | null; limit: number }): Promise<MemberRow[]>;
  /** After a fan-out changed a large share of the rows: later queries plan with fresh statistics. */
  refreshStatistics(): Promise<void>;
}

/** Everything needed to build and send one message, loaded fresh for each attempt. */
export interface DeliveryContext {
  readonly id: string;
  readonly campaignId: string;
  readonly subjectId: string;
  readonly channel: DeliveryChannel;
  readonly kind: DeliveryKind;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly campaignStatus: CampaignStatus;
  readonly opensAt: Date;
  readonly dueAt: Date;
  readonly graceDays: number;
  readonly reminders: readonly Reminder[];
  readonly memberState: MemberState;
  readonly overdueAt: Date | null;
  readonly pensionNumber: string;
  readonly language: string;
}

/** One message as an operator lists it. */
export interface DeliveryRow {
  readonly id: string;
  readonly pensionNumber: string;
  readonly channel: DeliveryChannel;
  readonly kind: DeliveryKind;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly responseStatus: number | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** The webhook outbox: one row per message, pending until sent, dead-lettered, cancelled or superseded. */
export interface CampaignDeliveryRepository {
  /**
   * One pending message per member among `subjectIds` (optionally only those in `states`); at most one per
   * (campaign, subject, kind), so a re-run adds nothing. Returns the ids of the new messages.
   */
  insertForMembers(
    campaignId: string, subjectIds: readonly string[], channel: DeliveryChannel, kind: DeliveryKind, at: Date, states?: readonly MemberState[],
  ): Promise<string[]>;
  context(id: string): Promise<DeliveryContext | null>;
  statusOf(campaignId: string, subjectId: string, kind: DeliveryKind): Promise<DeliveryStatus | null>;
  markEnqueued(ids: readonly string[], at: Date): Promise<void>;
  /** Pending messages without a job, oldest first, of campaigns that may send (running or closed). */
  undispatched(limit: number): Promise<string[]>;
  /** Pending messages whose job was enqueued before `olderThan` go back to the outbox; returns how many. */
  releaseStale(olderThan: Date, limit: number): Promise<number>;
  /** Back to the outbox without an attempt (the campaign is paused); resumed later by the dispatcher. */
  hold(id: string): Promise<void>;
  /** Ends a pending message; false (and nothing changed) when it was no longer pending. */
  finish(id: string, status: Exclude<DeliveryStatus, 'pending'>, at: Date, outcome: { attempted: boolean; responseStatus?: number | null; error?: string | null }): Promise<boolean>;
  /** A failed attempt that will be retried. */
  recordFailure(id: string, error: string, responseStatus: number | null): Promise<void>;
  /** Returns how many pending messages were cancelled. */
  cancelPending(campaignId: string, at: Date): Promise<number>;
  /** Dead-lettered messages of a campaign go back to pending for a fresh round of attempts; returns how many. */
  retryDead(campaignId: string): Promise<number>;
  counts(campaignId: string): Promise<{ channel: DeliveryChannel; status: DeliveryStatus; n: number }[]>;
  /** In id order, after the keyset cursor `afterId`. */
  list(campaignId: string, q: { status?: DeliveryStatus; afterId: string | null; limit: number }): Promise<DeliveryRow[]>;
}

export interface CampaignTemplateRepository {
  insert(t: CampaignTemplate): Promise<void>;
  findById(id: string): Promise<CampaignTemplate | null>;
  /** Oldest first. */
  list(activeOnly: boolean): Promise<CampaignTemplate[]>;
  /** false when there is no such template or it was inactive already. */
  deactivate(id: string): Promise<boolean>;
}

export interface SubjectAttributeRepository {
  /** Replaces the subject's attributes (creating them on first use). */
  upsert(subjectId: string, a: SubjectAttributes): Promise<void>;
  find(subjectId: string): Promise<SubjectAttributes | null>;
}

/** The repositories of campaigns, as one transaction scope hands them out. */
export interface CampaignPorts extends AuditPorts {
  readonly campaigns: CampaignRepository;
  readonly members: CampaignMemberRepository;
  readonly deliveries: CampaignDeliveryRepository;
  readonly campaignTemplates: CampaignTemplateRepository;
  readonly attributes: SubjectAttributeRepository;
  /** Case resolution and attributes name a subject by pension number. */
  readonly subjects: Pick<SubjectRepository, 'findByRef'>;
}
