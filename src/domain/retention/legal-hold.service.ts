import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorLabel, type Actor } from '../audit/audit-entry.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { LegalHold } from './legal-hold.js';
import type { RetentionPorts } from './retention-ports.js';

export interface LegalHoldServiceDeps {
  readonly uow: UnitOfWork<RetentionPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** After a release: the subject's timers run again (their purge jobs are scheduled anew). */
  readonly onReleased?: (subjectId: string) => void;
}

/** Legal holds: while one is active nothing of the subject is purged; releasing it lets the timers run. */
export class LegalHoldService {
  constructor(private readonly deps: LegalHoldServiceDeps) {}

  list(subject: Subject): Promise<LegalHold[]> {
    return this.deps.uow.ports.holds.listForSubject(subject.id);
  }

  async place(subject: Subject, reason: string, actor: Actor): Promise<LegalHold> {
    const hold = { id: newId(), subjectId: subject.id, reason, placedBy: actorLabel(actor), placedAt: this.deps.clock.now() };
    await this.deps.uow.transaction(async (ports) => {
      await ports.holds.insert(hold);
      await this.deps.audit.record({ actor, action: 'legal-hold.placed', subjectId: subject.id, targetType: 'legal-hold', targetId: hold.id, outcome: 'success' }, ports);
    });
    return { ...hold, releasedAt: null, releasedBy: null };
  }

  async release(subject: Subject, holdId: string, actor: Actor): Promise<void> {
    const released = await this.deps.uow.transaction(async (ports) => {
      const ok = await ports.holds.release(subject.id, holdId, this.deps.clock.now(), actorLabel(actor));
      if (ok) await this.deps.audit.record({ actor, action: 'legal-hold.released', subjectId: subject.id, targetType: 'legal-hold', targetId: holdId, outcome: 'success' }, ports);
      return ok;
    });
    if (!released) {
      const exists = (await this.list(subject)).some((h) => h.id === holdId);
      if (!exists) throw new NotFoundError('LEGAL_HOLD_NOT_FOUND', `No legal hold "${holdId}" for this subject.`);
      throw new ConflictError('LEGAL_HOLD_RELEASED', 'This legal hold was already released.');
    }
    this.deps.onReleased?.(subject.id);
  }
}
