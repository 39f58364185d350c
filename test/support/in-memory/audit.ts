import type { AuditEntry } from '../../../src/domain/audit/audit-entry.js';
import type { AuditLogRepository, AuditQuery } from '../../../src/domain/audit/audit-ports.js';

/** The audit trail in memory, unchained (hashes are placeholders): tests read `entries` to see what was recorded. */
export class InMemoryAuditLog implements AuditLogRepository {
  readonly entries: AuditEntry[] = [];

  async append(event: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<AuditEntry> {
    const entry = { ...event, seq: this.entries.length + 1, prevHash: '', hash: '' };
    this.entries.push(entry);
    return entry;
  }

  async find(q: AuditQuery): Promise<AuditEntry[]> {
    const found = this.entries.filter((e) => (!q.subjectId || e.subjectId === q.subjectId) && (!q.actorId || e.actor.id === q.actorId)
      && (!q.action || e.action === q.action) && (!q.from || e.at >= q.from) && (!q.to || e.at <= q.to)
      && (q.afterSeq === undefined || e.seq > q.afterSeq) && (q.beforeSeq === undefined || e.seq < q.beforeSeq));
    return (q.newestFirst ? found.reverse() : found).slice(0, q.limit);
  }

  async countByActor(actorId: string, action: string, since: Date): Promise<number> {
    return this.entries.filter((e) => e.actor.id === actorId && e.action === action && e.at >= since).length;
  }

  async countDistinctTargetsByActor(actorId: string, action: string, since: Date): Promise<number> {
    return new Set(this.entries.filter((e) => e.actor.id === actorId && e.action === action && e.at >= since).map((e) => e.targetId)).size;
  }

  /** The actions recorded, in order. */
  actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}
