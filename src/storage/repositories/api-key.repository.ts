import type { Queryable } from '../database/database.js';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeySummary } from '../../domain/access/access-ports.js';
import type { Role } from '../../domain/access/roles.js';

interface Row { id: string; key_id: string; secret_hash: string; role: Role; label: string | null; revoked_at: Date | null }

export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Queryable) {}

  async insert(k: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    await this.db.query(
      'INSERT INTO api_keys (id, key_id, secret_hash, role, label) VALUES ($1, $2, $3, $4, $5)',
      [k.id, k.keyId, k.secretHash, k.role, k.label],
    );
  }

  async findByKeyId(keyId: string): Promise<ApiKeyRecord | null> {
    const rows = await this.db.query<Row>('SELECT * FROM api_keys WHERE key_id = $1', [keyId]);
    const r = rows[0];
    return r ? { id: r.id, keyId: r.key_id, secretHash: r.secret_hash, role: r.role, label: r.label, revokedAt: r.revoked_at } : null;
  }

  /** Every key, oldest first, revoked ones included. */
  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.db.query<{ key_id: string; role: Role; label: string | null; created_at: Date; revoked_at: Date | null }>(
      'SELECT key_id, role, label, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id',
    );
    return rows.map((r) => ({ keyId: r.key_id, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** Keys ever created, revoked ones included. */
  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys');
    return rows[0]!.n;
  }

  async revoke(keyId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE api_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL RETURNING id',
      [keyId, at],
    );
    return rows.length === 1;
  }
}
