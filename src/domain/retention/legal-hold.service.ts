import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Database } from '../../storage/database/database.js';
import type { LegalHold } from '../../storage/repositories/legal-hold.repository.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import { actorLabel } from '../consent/consent.service.js';
import type { Subject } from '../subjects/subject.js';

/** Legal holds: while one is active nothing of the subject is purged; releasing it lets the timers run. */
export class LegalHoldService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly onReleased: (subjectId: string) => void = () => undefined,
  ) {}

  list(subject: Subject): Promise<LegalHold[]> {
    return createRepositories(this.db).holds.listForSubject(subject.id);
  }

  async place(subject: Subject, reason: string, actor: Actor): Promise<LegalHold> {
    const hold = { id: newId(), subjectId: subject.id, reason, placedBy: actorLabel(actor), placedAt: this.clock.now() };
    await this.db.transaction(async (tx) => {
      await createRepositories(tx).holds.insert(hold);
      await this.audit.record({ actor, action: 'legal-hold.placed', subjectId: subject.id, targetType: 'legal-hold', targetId: hold.id, outcome: 'success' }, createRepositories(tx));
    });
    return { ...hold, releasedAt: null, releasedBy: null };
  }

  async release(subject: Subject, holdId: string, actor: Actor): Promise<void> {
    const released = await this.db.transaction(async (tx) => {
      const ok = await createRepositories(tx).holds.release(subject.id, holdId, this.clock.now(), actorLabel(actor));
      if (ok) await this.audit.record({ actor, action: 'legal-hold.released', subjectId: subject.id, targetType: 'legal-hold', targetId: holdId, outcome: 'success' }, createRepositories(tx));
      return ok;
    });
    if (!released) {
      const exists = (await this.list(subject)).some((h) => h.id === holdId);
      if (!exists) throw new NotFoundError('LEGAL_HOLD_NOT_FOUND', `No legal hold "${holdId}" for this subject.`);
      throw new ConflictError('LEGAL_HOLD_RELEASED', 'This legal hold was already released.');
    }
    this.onReleased(subject.id);
  }
}
