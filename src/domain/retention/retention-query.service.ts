import { retentionEntry, type RetentionEntry } from '../submissions/submission-query.service.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { LegalHold } from './legal-hold.js';
import { retentionRules, type RetentionSettings } from './retention-policy.js';
import type { RetentionPorts } from './retention-ports.js';

export interface RetentionQueryServiceDeps {
  readonly uow: UnitOfWork<RetentionPorts>;
  readonly settings: RetentionSettings;
}

/** A subject's live timers and holds: what is held, until when, and whether a hold stops it. */
export class RetentionQueryService {
  constructor(private readonly deps: RetentionQueryServiceDeps) {}

  async forSubject(subject: Subject): Promise<{ items: (RetentionEntry & { submissionId: string | null })[]; holds: LegalHold[] }> {
    const { items: ledger, holds: register } = this.deps.uow.ports;
    const [items, holds] = await Promise.all([ledger.listForSubject(subject.id), register.listForSubject(subject.id)]);
    const held = holds.some((h) => !h.releasedAt);
    const rules = retentionRules(this.deps.settings);
    return { items: items.map((i) => ({ ...retentionEntry(i, rules, held), submissionId: i.submissionId })), holds };
  }
}
