import type { Queryable } from '../database/database.js';
import { chainHash, GENESIS_HASH } from '../../domain/audit/audit-chain.js';
import type { AuditEntry, AuditEvent } from '../../domain/audit/audit-entry.js';
import type { AuditLogRepository, AuditQuery } from '../../domain/audit/audit-ports.js';

// Serialises appends so that each entry links to the one before it.
const AUDIT_CHAIN_LOCK = 727_002;

interface Row {
  seq: number | string; id: string; at: Date; actor_type: AuditEntry['actor']['type']; actor_id: string | null; role: string | null;
  action: AuditEntry['action']; purpose: string | null; subject_id: string | null; target_type: string | null;
  target_id: string | null; outcome: AuditEntry['outcome']; details: AuditEntry['details']; prev_hash: string; hash: string;
}

const toEntry = (r: Row): AuditEntry => ({
  seq: Number(r.seq), id: r.id, at: r.at, actor: { type: r.actor_type, id: r.actor_id, role: r.role }, action: r.action,
  purpose: r.purpose, subjectId: r.subject_id, targetType: r.target_type, targetId: r.target_id, outcome: r.outcome,
  details: r.details ?? {}, prevHash: r.prev_hash, hash: r.hash,
});

export class SqlAuditLogRepository implements AuditLogRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Appends one entry. Must run inside a transaction (the lock is held until it commits), which may be
   * the caller's own, so an event and the change it records commit together.
   */
  async append(event: AuditEvent & { id: string; at: Date }): Promise<AuditEntry> {
    await this.db.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [last] = await this.db.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = chainHash(prevHash, event);
    const [row] = await this.db.query<Row>(
      `INSERT INTO audit_log (id, at, actor_type, actor_id, role, action, purpose, subject_id, target_type, target_id,
         outcome, details, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING *`,
      [event.id, event.at, event.actor.type, event.actor.id, event.actor.role, event.action, event.purpose ?? null,
        event.subjectId ?? null, event.targetType ?? null, event.targetId ?? null, event.outcome,
        JSON.stringify(event.details ?? {}), prevHash, hash],
    );
    return toEntry(row!);
  }

  async find(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.subjectId) add('subject_id = ?', q.subjectId);
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.action) add('action = ?', q.action);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.afterSeq !== undefined) add('seq > ?', q.afterSeq);
    if (q.beforeSeq !== undefined) add('seq < ?', q.beforeSeq);
    params.push(q.limit);
    const rows = await this.db.query<Row>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${q.newestFirst ? ' DESC' : ''} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** Counts an actor's entries of one action since a time (unusual-access detection). */
  async countByActor(actorId: string, action: string, since: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND action = $2 AND at >= $3',
      [actorId, action, since],
    );
    return row?.n ?? 0;
  }

  /** Counts the distinct things (e.g. images) an actor touched with one action since a time. */
  async countDistinctTargetsByActor(actorId: string, action: string, since: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      'SELECT count(DISTINCT coalesce(target_id, id::text))::int AS n FROM audit_log WHERE actor_id = $1 AND action = $2 AND at >= $3',
      [actorId, action, since],
    );
    return row?.n ?? 0;
  }
}
