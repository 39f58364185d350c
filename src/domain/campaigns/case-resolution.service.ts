import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorLabel, PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { MemberState } from './campaign.js';
import type { CampaignPorts } from './campaign-ports.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';
import { paymentEvent } from './member-state.js';

export type CaseOutcome = 'verified_in_person' | 'exempt';

export interface CaseResolutionServiceDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly dispatcher: DeliveryDispatcher;
  readonly settings: { readonly paymentUrl: string | null };
}

/**
 * An operator closes a member's case: seen in person at the office (verified_in_person) or excused
 * (exempt), with the reason. Final for this campaign, and an overdue member's payments are cleared,
 * so nobody is cut off only because the app failed them.
 */
export class CaseResolutionService {
  constructor(private readonly deps: CaseResolutionServiceDeps) {}

  async close(campaignId: string, subjectRef: string, outcome: CaseOutcome, reason: string, actor: Actor): Promise<{ from: MemberState; to: CaseOutcome }> {
    const now = this.deps.clock.now();
    const { from, deliveryIds } = await this.deps.uow.transaction(async (ports) => {
      const campaign = await ports.campaigns.findById(campaignId, true);
      if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign "${campaignId}".`);
      if (!['running', 'paused', 'closed'].includes(campaign.status)) {
        throw new ConflictError('CAMPAIGN_NOT_ACTIVE', `The campaign is ${campaign.status}.`, { status: campaign.status });
      }
      const subject = await ports.subjects.findByRef(subjectRef);
      if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectRef}".`);
      const member = await ports.members.find(campaignId, subject.id);
      if (!member) throw new NotFoundError('SUBJECT_NOT_IN_CAMPAIGN', 'This subject is not in the campaign.');
      if (member.state === 'exempt' || member.state === 'verified_in_person') {
        throw new ConflictError('CASE_ALREADY_CLOSED', `The case is closed already (${member.state}).`, { state: member.state });
      }
      if (member.state === 'verified') throw new ConflictError('ALREADY_VERIFIED', 'The subject has proved life in this campaign already.');
      if (!(await ports.members.resolve(campaignId, subject.id, member.state, outcome, actorLabel(actor), reason, now))) {
        throw new ConflictError('CASE_CHANGED', 'The case changed meanwhile; read it again.');
      }
      const kind = this.deps.settings.paymentUrl ? paymentEvent(member.state, outcome) : null;
      const ids = kind ? await ports.deliveries.insertForMembers(campaignId, [subject.id], 'payment', kind, now) : [];
      // The reason stays in the campaign record; the audit trail holds codes only.
      await this.deps.audit.record({
        actor, action: 'campaign.case-closed', purpose: PURPOSE, subjectId: subject.id, targetType: 'campaign',
        targetId: campaignId, outcome: 'success', details: { from: member.state, to: outcome },
      }, ports);
      return { from: member.state, deliveryIds: ids };
    });
    await this.deps.dispatcher.dispatch(deliveryIds);
    return { from, to: outcome };
  }
}
