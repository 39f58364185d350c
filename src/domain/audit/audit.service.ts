import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { ChainVerifier, type ChainVerdict } from './audit-chain.js';
import type { AuditEntry, AuditEvent } from './audit-entry.js';
import type { AuditPorts, AuditQuery } from './audit-ports.js';

const PAGE = 1000;

export interface AuditServiceDeps {
  readonly uow: UnitOfWork<AuditPorts>;
  readonly clock: Clock;
}

/** The append-only, hash-chained audit trail (Law on Personal Data, Art. 25). */
export class AuditService {
  constructor(private readonly deps: AuditServiceDeps) {}

  /**
   * Records an event. Inside a transaction pass its ports, so the event commits together with the change it
   * describes; outside one the event gets its own.
   */
  async record(event: AuditEvent, scope?: AuditPorts): Promise<AuditEntry> {
    const entry = { ...event, id: newId(), at: this.deps.clock.now() };
    if (scope) return scope.audit.append(entry);
    return this.deps.uow.transaction((ports) => ports.audit.append(entry));
  }

  find(query: AuditQuery): Promise<AuditEntry[]> {
    return this.deps.uow.ports.audit.find(query);
  }

  countByActor(actorId: string, action: string, since: Date): Promise<number> {
    return this.deps.uow.ports.audit.countByActor(actorId, action, since);
  }

  countDistinctTargetsByActor(actorId: string, action: string, since: Date): Promise<number> {
    return this.deps.uow.ports.audit.countDistinctTargetsByActor(actorId, action, since);
  }

  /** Walks the whole chain in pages, in bounded memory; names the first broken link. */
  async verifyChain(): Promise<ChainVerdict> {
    const verifier = new ChainVerifier();
    let afterSeq = 0;
    for (;;) {
      const page = await this.deps.uow.ports.audit.find({ afterSeq, limit: PAGE });
      if (!page.length || !verifier.feed(page)) break;
      afterSeq = page[page.length - 1]!.seq;
    }
    return verifier.verdict();
  }
}
