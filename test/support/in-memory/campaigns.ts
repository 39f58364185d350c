import type {
  Campaign, CampaignStatus, CampaignStep, CampaignTemplate, Cohort, DeliveryChannel, DeliveryKind, DeliveryStatus, MemberState,
  StepName, SubjectAttributes,
} from '../../../src/domain/campaigns/campaign.js';
import type {
  CampaignDeliveryRepository, CampaignMemberRepository, CampaignPorts, CampaignRepository,
  CampaignTemplateRepository, DeliveryContext, DeliveryRow, MemberRow, ReconcileCandidate, StatusChange, SubjectAttributeRepository,
  Transition,
} from '../../../src/domain/campaigns/campaign-ports.js';
import type { Decision } from '../../../src/domain/campaigns/member-state.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import type { SubjectRepository } from '../../../src/domain/subjects/subject-ports.js';
import { InMemoryAuditLog } from './audit.js';

/** A submission as the campaign reads it: who, whether it completed, its decision, when. */
export interface SubmissionFact {
  readonly id: string;
  readonly subjectId: string;
  readonly status: 'completed' | 'processing';
  readonly decision: Decision | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

interface Member {
  campaignId: string; subjectId: string; state: MemberState; invitedAt: Date; stateChangedAt: Date; overdueAt: Date | null;
  submissionId: string | null; resolvedBy: string | null; resolutionReason: string | null;
}

interface Delivery {
  id: string; campaignId: string; subjectId: string; channel: DeliveryChannel; kind: DeliveryKind; status: DeliveryStatus;
  attempts: number; createdAt: Date; enqueuedAt: Date | null; finishedAt: Date | null; lastError: string | null; responseStatus: number | null;
}

/** The rows every campaign double reads and writes; tests arrange subjects and submissions here and inspect the rest. */
export class CampaignWorld {
  readonly subjects = new Map<string, Subject>();
  readonly submissions: SubmissionFact[] = [];
  readonly attributes = new Map<string, SubjectAttributes>();
  /** Newest reference in use per subject (cohort filter newestReferenceBefore). */
  readonly newestReference = new Map<string, Date>();
  readonly campaigns = new Map<string, Campaign>();
  readonly steps = new Map<string, CampaignStep>();
  readonly members = new Map<string, Member>();
  readonly deliveries = new Map<string, Delivery>();
  readonly templates = new Map<string, CampaignTemplate>();
  readonly watermarks = new Map<string, Date>();
  readonly audit = new InMemoryAuditLog();
  private seq = 0;

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${String(this.seq).padStart(6, '0')}`;
  }

  addSubject(id: string, ref: string, extra: Partial<Subject> = {}): Subject {
    const subject: Subject = {
      id, ref, status: 'active', hasPassport: false, language: 'tg', enrolledAt: null, createdAt: new Date(0), erasedAt: null,
      reenrolment: null, ...extra,
    };
    this.subjects.set(id, subject);
    return subject;
  }

  member(campaignId: string, subjectId: string): Member | undefined {
    return this.members.get(`${campaignId}/${subjectId}`);
  }

  deliveriesOf(campaignId: string): Delivery[] {
    return [...this.deliveries.values()].filter((d) => d.campaignId === campaignId);
  }
}

const byId = <T extends { subjectId: string }>(a: T, b: T) => (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0);
const rank = (d: Decision) => (d === 'verified' ? 3 : d === 'needs_review' ? 2 : 1);

class Campaigns implements CampaignRepository {
  constructor(private readonly w: CampaignWorld) {}

  async insert(c: Campaign) {
    const taken = c.templateId !== null && [...this.w.campaigns.values()].some((x) => x.templateId === c.templateId && x.periodKey === c.periodKey);
    if (!taken) this.w.campaigns.set(c.id, c);
    return !taken;
  }

  async findById(id: string) { return this.w.campaigns.get(id) ?? null; }

  async findByPeriod(templateId: string, periodKey: string) {
    return [...this.w.campaigns.values()].find((c) => c.templateId === templateId && c.periodKey === periodKey) ?? null;
  }

  async list(q: { status?: CampaignStatus; limit: number }) {
    return [...this.w.campaigns.values()].filter((c) => !q.status || c.status === q.status).reverse().slice(0, q.limit);
  }

  async listByStatus(statuses: readonly CampaignStatus[]) {
    return [...this.w.campaigns.values()].filter((c) => statuses.includes(c.status));
  }

  async changeStatus(id: string, from: readonly CampaignStatus[], change: StatusChange, at: Date) {
    const c = this.w.campaigns.get(id);
    if (!c || !from.includes(c.status)) return null;
    const next: Campaign = {
      ...c, status: change.status,
      startedAt: change.stamp === 'started_at' ? c.startedAt ?? at : c.startedAt,
      pausedAt: change.status === 'running' ? null : change.stamp === 'paused_at' ? c.pausedAt ?? at : c.pausedAt,
      closedAt: change.stamp === 'closed_at' ? c.closedAt ?? at : c.closedAt,
      cancelledAt: change.stamp === 'cancelled_at' ? c.cancelledAt ?? at : c.cancelledAt,
      cancelReason: change.status === 'cancelled' ? change.reason : c.cancelReason,
    };
    this.w.campaigns.set(id, next);
    return next;
  }

  async setDeadline(id: string, dueAt: Date, graceDays: number) {
    const c = this.w.campaigns.get(id);
    if (c) this.w.campaigns.set(id, { ...c, dueAt, graceDays });
  }

  async insertSteps(campaignId: string, steps: readonly { step: StepName; dueAt: Date }[]) {
    for (const s of steps) {
      const key = `${campaignId}/${s.step}`;
      if (!this.w.steps.has(key)) {
        this.w.steps.set(key, { campaignId, step: s.step, dueAt: s.dueAt, cursor: null, processed: 0, affected: 0, startedAt: null, doneAt: null, outcome: null });
      }
    }
  }

  async steps(campaignId: string) {
    return [...this.w.steps.values()].filter((s) => s.campaignId === campaignId).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async step(campaignId: string, step: StepName) { return this.w.steps.get(`${campaignId}/${step}`) ?? null; }

  private patch(campaignId: string, step: StepName, change: (s: CampaignStep) => Partial<CampaignStep> | null): boolean {
    const key = `${campaignId}/${step}`;
    const s = this.w.steps.get(key);
    const diff = s ? change(s) : null;
    if (!s || !diff) return false;
    this.w.steps.set(key, { ...s, ...diff });
    return true;
  }

  async startStep(campaignId: string, step: StepName, at: Date) {
    this.patch(campaignId, step, (s) => ({ startedAt: s.startedAt ?? at }));
  }

  async advanceStep(campaignId: string, step: StepName, from: string | null, to: string, processed: number, affected: number) {
    return this.patch(campaignId, step, (s) => (s.cursor === from && !s.doneAt
      ? { cursor: to, processed: s.processed + processed, affected: s.affected + affected } : null));
  }

  async finishStep(campaignId: string, step: StepName, at: Date, outcome: string) {
    return this.patch(campaignId, step, (s) => (s.doneAt ? null : { doneAt: at, outcome }));
  }

  async finishOpenSteps(campaignId: string, at: Date, outcome: string) {
    for (const s of await this.steps(campaignId)) await this.finishStep(campaignId, s.step, at, outcome);
  }

  async rescheduleStep(campaignId: string, step: StepName, dueAt: Date) {
    this.patch(campaignId, step, (s) => (s.doneAt ? null : { dueAt }));
  }

  async openSteps() {
    return [...this.w.steps.values()].filter((s) => !s.doneAt && this.w.campaigns.get(s.campaignId)?.status === 'running')
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async watermark(name: string) { return this.w.watermarks.get(name) ?? null; }

  async setWatermark(name: string, at: Date) {
    const old = this.w.watermarks.get(name);
    if (!old || old < at) this.w.watermarks.set(name, at);
  }
}

class Members implements CampaignMemberRepository {
  constructor(private readonly w: CampaignWorld) {}

  private cohort(c: Cohort): string[] {
    return [...this.w.subjects.values()].filter((s) => {
      const a = this.w.attributes.get(s.id);
      const verifiedSince = (at: string) => this.w.submissions.some((v) => v.subjectId === s.id && v.status === 'completed'
        && v.decision === 'verified' && v.createdAt >= new Date(at));
      const newest = this.w.newestReference.get(s.id);
      return s.status === 'active'
        && (!c.regions || (a?.region != null && c.regions.includes(a.region)))
        && (!c.offices || (a?.office != null && c.offices.includes(a.office)))
        && (c.birthYearFrom === undefined || (a?.birthYear != null && a.birthYear >= c.birthYearFrom))
        && (c.birthYearTo === undefined || (a?.birthYear != null && a.birthYear <= c.birthYearTo))
        && (!c.lastVerifiedBefore || !verifiedSince(c.lastVerifiedBefore))
        && (!c.newestReferenceBefore || (newest !== undefined && newest < new Date(c.newestReferenceBefore)));
    }).map((s) => s.id).sort();
  }

  private of(campaignId: string): Member[] {
    return [...this.w.members.values()].filter((m) => m.campaignId === campaignId).sort(byId);
  }

  async countCohort(cohort: Cohort) { return this.cohort(cohort).length; }

  async cohortPage(cohort: Cohort, afterId: string | null, limit: number) {
    return this.cohort(cohort).filter((id) => afterId === null || id > afterId).slice(0, limit);
  }

  async insert(campaignId: string, subjectIds: readonly string[], at: Date) {
    const added: string[] = [];
    for (const subjectId of subjectIds) {
      if (this.w.member(campaignId, subjectId)) continue;
      this.w.members.set(`${campaignId}/${subjectId}`, {
        campaignId, subjectId, state: 'invited', invitedAt: at, stateChangedAt: at, overdueAt: null, submissionId: null, resolvedBy: null, resolutionReason: null,
      });
      added.push(subjectId);
    }
    return added;
  }

  async page(campaignId: string, afterId: string | null, limit: number) {
    return this.of(campaignId).filter((m) => afterId === null || m.subjectId > afterId).slice(0, limit)
      .map((m) => ({ subjectId: m.subjectId, state: m.state }));
  }

  async candidates(subjectIds: readonly string[], campaignId: string | null): Promise<ReconcileCandidate[]> {
    return [...this.w.members.values()].flatMap((m) => {
      const c = this.w.campaigns.get(m.campaignId)!;
      if (!subjectIds.includes(m.subjectId) || (campaignId !== null && m.campaignId !== campaignId)) return [];
      if (!['running', 'paused', 'closed'].includes(c.status) || m.state === 'exempt' || m.state === 'verified_in_person') return [];
      const best = this.w.submissions
        .filter((s) => s.subjectId === m.subjectId && s.status === 'completed' && s.decision !== null && s.createdAt >= c.opensAt)
        .sort((a, b) => rank(b.decision!) - rank(a.decision!) || b.createdAt.getTime() - a.createdAt.getTime())[0];
      return [{ campaignId: m.campaignId, subjectId: m.subjectId, state: m.state, campaignStatus: c.status, bestDecision: best?.decision ?? null, bestSubmissionId: best?.id ?? null }];
    });
  }

  async apply(transitions: readonly Transition[], at: Date) {
    return transitions.filter((t) => {
      const m = this.w.member(t.campaignId, t.subjectId);
      if (!m || m.state !== t.from) return false;
      Object.assign(m, { state: t.to, submissionId: t.submissionId ?? m.submissionId, stateChangedAt: at, overdueAt: t.to === 'overdue' ? at : m.overdueAt });
      return true;
    });
  }

  async resolve(campaignId: string, subjectId: string, from: MemberState, to: 'exempt' | 'verified_in_person', by: string, reason: string, at: Date) {
    const m = this.w.member(campaignId, subjectId);
    if (!m || m.state !== from) return false;
    Object.assign(m, { state: to, resolvedBy: by, resolutionReason: reason, stateChangedAt: at });
    return true;
  }

  async decidedSince(from: Date, to: Date, after: { at: string; id: string } | null, limit: number) {
    return this.w.submissions
      .filter((s) => s.status === 'completed' && s.completedAt && s.completedAt > from && s.completedAt <= to)
      .map((s) => ({ id: s.id, subjectId: s.subjectId, at: s.completedAt!.toISOString() }))
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1))
      .filter((s) => !after || s.at > after.at || (s.at === after.at && s.id > after.id))
      .slice(0, limit);
  }

  async reviewedSince(from: Date, to: Date, afterSeq: number, limit: number) {
    return this.w.audit.entries
      .filter((e) => e.action === 'review.decided' && e.at > from && e.at <= to && e.seq > afterSeq && e.subjectId)
      .slice(0, limit).map((e) => ({ seq: e.seq, subjectId: e.subjectId! }));
  }

  async subjectOfSubmission(submissionId: string) {
    return this.w.submissions.find((s) => s.id === submissionId)?.subjectId ?? null;
  }

  async find(campaignId: string, subjectId: string) {
    const m = this.w.member(campaignId, subjectId);
    return m ? { state: m.state } : null;
  }

  async counts(campaignId: string) {
    const counts: Partial<Record<MemberState, number>> = {};
    for (const m of this.of(campaignId)) counts[m.state] = (counts[m.state] ?? 0) + 1;
    return counts;
  }

  async rows(campaignId: string, q: { states?: readonly MemberState[]; afterId: string | null; limit: number }): Promise<MemberRow[]> {
    return this.of(campaignId).filter((m) => (!q.states || q.states.includes(m.state)) && (q.afterId === null || m.subjectId > q.afterId))
      .slice(0, q.limit).map((m) => {
        const a = this.w.attributes.get(m.subjectId);
        return {
          subjectId: m.subjectId, pensionNumber: this.w.subjects.get(m.subjectId)!.ref, state: m.state, invitedAt: m.invitedAt,
          stateChangedAt: m.stateChangedAt, overdueAt: m.overdueAt, decision: this.w.submissions.find((s) => s.id === m.submissionId)?.decision ?? null,
          region: a?.region ?? null, office: a?.office ?? null, resolvedBy: m.resolvedBy,
        };
      });
  }

  async refreshStatistics() {}
}

class Deliveries implements CampaignDeliveryRepository {
  constructor(private readonly w: CampaignWorld) {}

  private pending(id: string): Delivery | null {
    const d = this.w.deliveries.get(id);
    return d && d.status === 'pending' ? d : null;
  }

  async insertForMembers(campaignId: string, subjectIds: readonly string[], channel: DeliveryChannel, kind: DeliveryKind, at: Date, states?: readonly MemberState[]) {
    const ids: string[] = [];
    for (const subjectId of subjectIds) {
      const m = this.w.member(campaignId, subjectId);
      if (!m || (states && !states.includes(m.state))) continue;
      if (this.w.deliveriesOf(campaignId).some((d) => d.subjectId === subjectId && d.kind === kind)) continue;
      const id = this.w.nextId('d');
      this.w.deliveries.set(id, {
        id, campaignId, subjectId, channel, kind, status: 'pending', attempts: 0, createdAt: at, enqueuedAt: null, finishedAt: null, lastError: null, responseStatus: null,
      });
      ids.push(id);
    }
    return ids;
  }

  async context(id: string): Promise<DeliveryContext | null> {
    const d = this.w.deliveries.get(id);
    if (!d) return null;
    const c = this.w.campaigns.get(d.campaignId)!;
    const m = this.w.member(d.campaignId, d.subjectId)!;
    const s = this.w.subjects.get(d.subjectId)!;
    return {
      id: d.id, campaignId: d.campaignId, subjectId: d.subjectId, channel: d.channel, kind: d.kind, status: d.status, attempts: d.attempts,
      createdAt: d.createdAt, campaignStatus: c.status, opensAt: c.opensAt, dueAt: c.dueAt, graceDays: c.graceDays, reminders: c.reminders,
      memberState: m.state, overdueAt: m.overdueAt, pensionNumber: s.ref, language: s.language,
    };
  }

  async statusOf(campaignId: string, subjectId: string, kind: DeliveryKind) {
    return this.w.deliveriesOf(campaignId).find((d) => d.subjectId === subjectId && d.kind === kind)?.status ?? null;
  }

  async markEnqueued(ids: readonly string[], at: Date) {
    for (const id of ids) this.w.deliveries.get(id)!.enqueuedAt = at;
  }

  async undispatched(limit: number) {
    return [...this.w.deliveries.values()]
      .filter((d) => d.status === 'pending' && !d.enqueuedAt && ['running', 'closed'].includes(this.w.campaigns.get(d.campaignId)!.status))
      .slice(0, limit).map((d) => d.id);
  }

  async releaseStale(olderThan: Date, limit: number) {
    const stale = [...this.w.deliveries.values()].filter((d) => d.status === 'pending' && d.enqueuedAt && d.enqueuedAt < olderThan).slice(0, limit);
    for (const d of stale) d.enqueuedAt = null;
    return stale.length;
  }

  async hold(id: string) {
    const d = this.pending(id);
    if (d) d.enqueuedAt = null;
  }

  async finish(id: string, status: Exclude<DeliveryStatus, 'pending'>, at: Date, o: { attempted: boolean; responseStatus?: number | null; error?: string | null }) {
    const d = this.pending(id);
    if (!d) return false;
    Object.assign(d, {
      status, finishedAt: at, attempts: d.attempts + (o.attempted ? 1 : 0), responseStatus: o.responseStatus ?? d.responseStatus, lastError: o.error ?? d.lastError,
    });
    return true;
  }

  async recordFailure(id: string, error: string, responseStatus: number | null) {
    const d = this.pending(id);
    if (d) Object.assign(d, { attempts: d.attempts + 1, lastError: error, responseStatus: responseStatus ?? d.responseStatus });
  }

  async cancelPending(campaignId: string, at: Date) {
    const pending = this.w.deliveriesOf(campaignId).filter((d) => d.status === 'pending');
    for (const d of pending) Object.assign(d, { status: 'cancelled', finishedAt: at });
    return pending.length;
  }

  async retryDead(campaignId: string) {
    const dead = this.w.deliveriesOf(campaignId).filter((d) => d.status === 'dead');
    for (const d of dead) Object.assign(d, { status: 'pending', attempts: 0, enqueuedAt: null, finishedAt: null });
    return dead.length;
  }

  async counts(campaignId: string) {
    const n = new Map<string, { channel: DeliveryChannel; status: DeliveryStatus; n: number }>();
    for (const d of this.w.deliveriesOf(campaignId)) {
      const row = n.get(`${d.channel}/${d.status}`) ?? { channel: d.channel, status: d.status, n: 0 };
      n.set(`${d.channel}/${d.status}`, { ...row, n: row.n + 1 });
    }
    return [...n.values()];
  }

  async list(campaignId: string, q: { status?: DeliveryStatus; afterId: string | null; limit: number }): Promise<DeliveryRow[]> {
    return this.w.deliveriesOf(campaignId).filter((d) => (!q.status || d.status === q.status) && (q.afterId === null || d.id > q.afterId))
      .sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, q.limit)
      .map((d) => ({
        id: d.id, pensionNumber: this.w.subjects.get(d.subjectId)!.ref, channel: d.channel, kind: d.kind, status: d.status, attempts: d.attempts,
        lastError: d.lastError, responseStatus: d.responseStatus, createdAt: d.createdAt, finishedAt: d.finishedAt,
      }));
  }
}

class Templates implements CampaignTemplateRepository {
  constructor(private readonly w: CampaignWorld) {}
  async insert(t: CampaignTemplate) { this.w.templates.set(t.id, t); }
  async findById(id: string) { return this.w.templates.get(id) ?? null; }
  async list(activeOnly: boolean) { return [...this.w.templates.values()].filter((t) => !activeOnly || t.active); }

  async deactivate(id: string) {
    const t = this.w.templates.get(id);
    if (!t?.active) return false;
    this.w.templates.set(id, { ...t, active: false });
    return true;
  }
}

class Attributes implements SubjectAttributeRepository {
  constructor(private readonly w: CampaignWorld) {}
  async upsert(subjectId: string, a: SubjectAttributes) { this.w.attributes.set(subjectId, a); }
  async find(subjectId: string) { return this.w.attributes.get(subjectId) ?? null; }
}

class Subjects implements Pick<SubjectRepository, 'findByRef'> {
  constructor(private readonly w: CampaignWorld) {}
  async findByRef(ref: string) { return [...this.w.subjects.values()].find((s) => s.ref === ref) ?? null; }
}

/** The campaign ports over one in-memory world. Locks (`lock` arguments) are not modelled: tests run one call at a time. */
export function inMemoryCampaignPorts(world = new CampaignWorld()): CampaignPorts {
  return {
    campaigns: new Campaigns(world), members: new Members(world), deliveries: new Deliveries(world),
    campaignTemplates: new Templates(world), attributes: new Attributes(world), subjects: new Subjects(world), audit: world.audit,
  };
}
