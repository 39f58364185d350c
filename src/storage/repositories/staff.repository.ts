import type { StaffRepository, StaffRole, StaffSession, StaffUser } from '../../domain/staff/staff-ports.js';
import type { Queryable } from '../database/database.js';

interface UserRow { id: string; username: string; display_name: string; role: StaffRole; password_hash: string; failed_logins: number; locked_until: Date | null; disabled_at: Date | null }
const toUser = (r: UserRow): StaffUser => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, passwordHash: r.password_hash,
  failedLogins: r.failed_logins, lockedUntil: r.locked_until, disabledAt: r.disabled_at,
});

/** Staff accounts and their sessions (sessions are stored by the hash of their token only). */
export class SqlStaffRepository implements StaffRepository {
  constructor(private readonly db: Queryable) {}

  async insert(u: { id: string; username: string; displayName: string; role: StaffRole; passwordHash: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO staff_users (id, username, display_name, role, password_hash) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [u.id, u.username, u.displayName, u.role, u.passwordHash],
    );
    return rows.length === 1;
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_users');
    return rows[0]!.n;
  }

  async findByUsername(username: string): Promise<StaffUser | null> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM staff_users WHERE username = $1', [username]);
    return row ? toUser(row) : null;
  }

  async findById(id: string): Promise<StaffUser | null> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM staff_users WHERE id = $1', [id]);
    return row ? toUser(row) : null;
  }

  async recordFailure(id: string, lockAfter: number, lockUntil: Date): Promise<void> {
    await this.db.query(
      `UPDATE staff_users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1`,
      [id, lockAfter, lockUntil],
    );
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
  }

  async insertSession(s: { tokenHash: string; userId: string; csrfToken: string; at: Date; expiresAt: Date }): Promise<void> {
    await this.db.query(
      'INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1,$2,$3,$4,$4,$5)',
      [s.tokenHash, s.userId, s.csrfToken, s.at, s.expiresAt],
    );
  }

  async findSession(tokenHash: string): Promise<StaffSession | null> {
    const [r] = await this.db.query<{ token_hash: string; user_id: string; csrf_token: string; last_seen_at: Date; expires_at: Date; revoked_at: Date | null }>(
      'SELECT * FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
    return r ? { tokenHash: r.token_hash, userId: r.user_id, csrfToken: r.csrf_token, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, at]);
  }

  async revokeSession(tokenHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE staff_sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE token_hash = $1', [tokenHash, at]);
  }
}
