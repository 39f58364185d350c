import type { AuditEntry, AuditEvent } from './audit-entry.js';

/** Filters of the audit query; all optional. */
export interface AuditQuery {
  readonly subjectId?: string;
  readonly actorId?: string;
  readonly action?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly afterSeq?: number;
  /** Entries older than this seq (paging back from the newest). */
  readonly beforeSeq?: number;
  /** Newest first (the dashboard); the chain check reads oldest first. */
  readonly newestFirst?: boolean;
  readonly limit: number;
}

/** The append-only, hash-chained trail as storage keeps it. */
export interface AuditLogRepository {
  /**
   * Appends one entry linked to the one before it. Runs inside a transaction (the chain's lock is held until it
   * commits), so an event and the change it records commit together.
   */
  append(event: AuditEvent & { id: string; at: Date }): Promise<AuditEntry>;
  find(query: AuditQuery): Promise<AuditEntry[]>;
  /** An actor's entries of one action since a time (unusual-access detection). */
  countByActor(actorId: string, action: string, since: Date): Promise<number>;
  /** The distinct things (e.g. images) an actor touched with one action since a time. */
  countDistinctTargetsByActor(actorId: string, action: string, since: Date): Promise<number>;
}

/** Every transaction scope that records audit events hands out the trail. */
export interface AuditPorts {
  readonly audit: AuditLogRepository;
}
