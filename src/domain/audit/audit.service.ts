import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Database, Queryable } from '../../storage/database/database.js';
import { AuditRepository, type AuditQuery } from '../../storage/repositories/audit.repository.js';
import { ChainVerifier, type ChainVerdict } from './audit-chain.js';
import type { AuditEntry, AuditEvent } from './audit-entry.js';

const PAGE = 1000;

/** The append-only, hash-chained audit trail (Law on Personal Data, Art. 25). */
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Records an event; pass `tx` to commit it together with the change it describes. */
  async record(event: AuditEvent, tx?: Queryable): Promise<AuditEntry> {
    const entry = { ...event, id: newId(), at: this.clock.now() };
    if (tx) return new AuditRepository(tx).append(entry);
    return this.db.transaction((t) => new AuditRepository(t).append(entry));
  }

  find(query: AuditQuery): Promise<AuditEntry[]> {
    return new AuditRepository(this.db).find(query);
  }

  countByActor(actorId: string, action: string, since: Date): Promise<number> {
    return new AuditRepository(this.db).countByActor(actorId, action, since);
  }

  countDistinctTargetsByActor(actorId: string, action: string, since: Date): Promise<number> {
    return new AuditRepository(this.db).countDistinctTargetsByActor(actorId, action, since);
  }

  /** Walks the whole chain in pages, in bounded memory; names the first broken link. */
  async verifyChain(): Promise<ChainVerdict> {
    const repo = new AuditRepository(this.db);
    const verifier = new ChainVerifier();
    let afterSeq = 0;
    for (;;) {
      const page = await repo.find({ afterSeq, limit: PAGE });
      if (!page.length || !verifier.feed(page)) break;
      afterSeq = page[page.length - 1]!.seq;
    }
    return verifier.verdict();
  }
}
