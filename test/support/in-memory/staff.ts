import type { StaffRepository, StaffRole, StaffSession, StaffUser } from '../../../src/domain/staff/staff-ports.js';

/** Staff accounts and sessions in memory, with storage's lock rule (the N-th failure in a row locks). */
export class InMemoryStaff implements StaffRepository {
  readonly users = new Map<string, StaffUser>();
  readonly sessions = new Map<string, StaffSession>();

  async insert(u: { id: string; username: string; displayName: string; role: StaffRole; passwordHash: string }): Promise<boolean> {
    if ([...this.users.values()].some((x) => x.username === u.username)) return false;
    this.users.set(u.id, { ...u, failedLogins: 0, lockedUntil: null, disabledAt: null });
    return true;
  }

  async count(): Promise<number> {
    return this.users.size;
  }

  async findByUsername(username: string): Promise<StaffUser | null> {
    return [...this.users.values()].find((u) => u.username === username) ?? null;
  }

  async findById(id: string): Promise<StaffUser | null> {
    return this.users.get(id) ?? null;
  }

  async recordFailure(id: string, lockAfter: number, lockUntil: Date): Promise<void> {
    const u = this.users.get(id)!;
    const failedLogins = u.failedLogins + 1;
    this.users.set(id, { ...u, failedLogins, lockedUntil: failedLogins >= lockAfter ? lockUntil : u.lockedUntil });
  }

  async recordSuccess(id: string): Promise<void> {
    this.users.set(id, { ...this.users.get(id)!, failedLogins: 0, lockedUntil: null });
  }

  async insertSession(s: { tokenHash: string; userId: string; csrfToken: string; at: Date; expiresAt: Date }): Promise<void> {
    this.sessions.set(s.tokenHash, { tokenHash: s.tokenHash, userId: s.userId, csrfToken: s.csrfToken, lastSeenAt: s.at, expiresAt: s.expiresAt, revokedAt: null });
  }

  async findSession(tokenHash: string): Promise<StaffSession | null> {
    return this.sessions.get(tokenHash) ?? null;
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    const s = this.sessions.get(tokenHash);
    if (s) this.sessions.set(tokenHash, { ...s, lastSeenAt: at });
  }

  async revokeSession(tokenHash: string, at: Date): Promise<void> {
    const s = this.sessions.get(tokenHash);
    if (s) this.sessions.set(tokenHash, { ...s, revokedAt: s.revokedAt ?? at });
  }
}
