import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorLabel, type Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { SubjectAttributes } from './campaign.js';
import type { CampaignPorts } from './campaign-ports.js';

export interface SubjectAttributesServiceDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
}

/** A subject's region, office and birth year: what campaign cohorts are selected by. */
export class SubjectAttributesService {
  constructor(private readonly deps: SubjectAttributesServiceDeps) {}

  async set(subjectRef: string, attrs: { region: string | null; office: string | null; birthYear: number | null }, actor: Actor): Promise<SubjectAttributes> {
    return this.deps.uow.transaction(async (ports) => {
      const subject = await ports.subjects.findByRef(subjectRef);
      if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectRef}".`);
      const value: SubjectAttributes = { ...attrs, updatedAt: this.deps.clock.now(), updatedBy: actorLabel(actor) };
      await ports.attributes.upsert(subject.id, value);
      await this.deps.audit.record({
        actor, action: 'subject.attributes-set', subjectId: subject.id, targetType: 'subject', targetId: subject.id,
        outcome: 'success', details: { fields: Object.entries(attrs).filter(([, v]) => v !== null).map(([k]) => k) },
      }, ports);
      return value;
    });
  }

  async get(subjectRef: string): Promise<SubjectAttributes | null> {
    const subject = await this.deps.uow.ports.subjects.findByRef(subjectRef);
    if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectRef}".`);
    return this.deps.uow.ports.attributes.find(subject.id);
  }
}
