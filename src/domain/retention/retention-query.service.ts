import type { LegalHold } from '../../storage/repositories/legal-hold.repository.js';
import type { Repositories } from '../../storage/repositories/index.js';
import { retentionEntry, type RetentionEntry } from '../submissions/submission-query.service.js';
import type { Subject } from '../subjects/subject.js';
import { retentionRules, type RetentionSettings } from './retention-policy.js';

/** A subject's live timers and holds: what is held, until when, and whether a hold stops it. */
export class RetentionQueryService {
  constructor(
    private readonly repos: Pick<Repositories, 'items' | 'holds'>,
    private readonly settings: RetentionSettings,
  ) {}

  async forSubject(subject: Subject): Promise<{ items: (RetentionEntry & { submissionId: string | null })[]; holds: LegalHold[] }> {
    const [items, holds] = await Promise.all([this.repos.items.listForSubject(subject.id), this.repos.holds.listForSubject(subject.id)]);
    const held = holds.some((h) => !h.releasedAt);
    const rules = retentionRules(this.settings);
    return { items: items.map((i) => ({ ...retentionEntry(i, rules, held), submissionId: i.submissionId })), holds };
  }
}
