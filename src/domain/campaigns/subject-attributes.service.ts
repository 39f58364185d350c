import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Database } from '../../storage/database/database.js';
import { campaignRepositories } from '../../storage/repositories/campaign.repository.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { SubjectAttributes } from '../../storage/repositories/subject-attribute.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import { actorLabel } from '../consent/consent.service.js';
import { campaignAction } from './campaign-audit.js';

/** A subject's region, office and birth year: what campaign cohorts are selected by. */
export class SubjectAttributesService {
  constructor(private readonly db: Database, private readonly audit: AuditService, private readonly clock: Clock) {}

  async set(subjectRef: string, attrs: { region: string | null; office: string | null; birthYear: number | null }, actor: Actor): Promise<SubjectAttributes> {
    return this.db.transaction(async (tx) => {
      const subject = await createRepositories(tx).subjects.findByRef(subjectRef);
      if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectRef}".`);
      const value: SubjectAttributes = { ...attrs, updatedAt: this.clock.now(), updatedBy: actorLabel(actor) };
      await campaignRepositories(tx).attributes.upsert(subject.id, value);
      await this.audit.record({
        actor, action: campaignAction('subject.attributes-set'), subjectId: subject.id, targetType: 'subject', targetId: subject.id,
        outcome: 'success', details: { fields: Object.entries(attrs).filter(([, v]) => v !== null).map(([k]) => k) },
      }, createRepositories(tx));
      return value;
    });
  }

  async get(subjectRef: string): Promise<SubjectAttributes | null> {
    const subject = await createRepositories(this.db).subjects.findByRef(subjectRef);
    if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectRef}".`);
    return campaignRepositories(this.db).attributes.find(subject.id);
  }
}
