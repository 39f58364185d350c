import { authFailureWindow, type AuthFailureRepository } from '../../domain/access/auth-failures.js';
import type { Queryable } from '../database/database.js';

/** Counts of refused authentications per source and minute (migration 009); one upsert per failure. */
export class SqlAuthFailureRepository implements AuthFailureRepository {
  constructor(private readonly db: Queryable) {}

  async add(source: string, at: Date): Promise<number> {
    const rows = await this.db.query<{ failures: number }>(
      `INSERT INTO auth_failures (source, window_start, failures, last_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (source, window_start) DO UPDATE SET failures = auth_failures.failures + 1, last_at = EXCLUDED.last_at
       RETURNING failures`,
      [source, authFailureWindow(at), at],
    );
    return rows[0]!.failures;
  }

  /** Failures of `source` in windows starting at or after `since`, oldest first (reports and tests). */
  async list(source: string, since: Date): Promise<{ windowStart: Date; failures: number }[]> {
    const rows = await this.db.query<{ window_start: Date; failures: number }>(
      'SELECT window_start, failures FROM auth_failures WHERE source = $1 AND window_start >= $2 ORDER BY window_start',
      [source, since],
    );
    return rows.map((r) => ({ windowStart: r.window_start, failures: r.failures }));
  }
}
