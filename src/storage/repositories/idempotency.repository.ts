import type { IdempotencyRecord, IdempotencyRepository } from '../../domain/access/access-ports.js';
import type { Queryable } from '../database/database.js';

/** Remembers the answer to a POST under its Idempotency-Key, per API key. */
export class SqlIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly db: Queryable) {}

  /** Claims the key; returns the existing record instead when another request claimed it first. */
  async claim(apiKeyId: string, key: string, requestHash: string): Promise<IdempotencyRecord | null> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING api_key_id`,
      [apiKeyId, key, requestHash],
    );
    if (inserted.length === 1) return null;
    const rows = await this.db.query<{ request_hash: string; status_code: number | null; response: unknown; location: string | null }>(
      'SELECT request_hash, status_code, response, location FROM idempotency_keys WHERE api_key_id = $1 AND idempotency_key = $2',
      [apiKeyId, key],
    );
    const r = rows[0];
    if (!r) return null;
    return { requestHash: r.request_hash, statusCode: r.status_code, response: r.response, location: r.location };
  }

  async saveResponse(apiKeyId: string, key: string, statusCode: number, response: unknown, location: string | null): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status_code = $3, response = $4, location = $5
        WHERE api_key_id = $1 AND idempotency_key = $2`,
      [apiKeyId, key, statusCode, JSON.stringify(response), location],
    );
  }

  /** A request that failed with an error releases its key so that the client can retry it. */
  async release(apiKeyId: string, key: string): Promise<void> {
    await this.db.query(
      'DELETE FROM idempotency_keys WHERE api_key_id = $1 AND idempotency_key = $2 AND status_code IS NULL',
      [apiKeyId, key],
    );
  }
}
