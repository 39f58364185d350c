import type { AuditPorts } from '../audit/audit-ports.js';

export type StaffRole = 'reviewer' | 'operator' | 'auditor' | 'admin';

/** A pension-office staff member who signs in to the dashboard. */
export interface StaffUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
  readonly disabledAt: Date | null;
}

/** A dashboard session, kept by the hash of its token only. */
export interface StaffSession {
  readonly tokenHash: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** Staff accounts and their sessions (a repository in src/storage implements it). */
export interface StaffRepository {
  /** False when the user name is taken. */
  insert(user: { id: string; username: string; displayName: string; role: StaffRole; passwordHash: string }): Promise<boolean>;
  /** Staff accounts ever created, disabled ones included. */
  count(): Promise<number>;
  findByUsername(username: string): Promise<StaffUser | null>;
  findById(id: string): Promise<StaffUser | null>;
  /** Counts a wrong password; the account locks until `lockUntil` when this is the `lockAfter`-th in a row. */
  recordFailure(id: string, lockAfter: number, lockUntil: Date): Promise<void>;
  /** A right password clears the failure count and any lock. */
  recordSuccess(id: string): Promise<void>;
  insertSession(session: { tokenHash: string; userId: string; csrfToken: string; at: Date; expiresAt: Date }): Promise<void>;
  findSession(tokenHash: string): Promise<StaffSession | null>;
  /** Marks the session used at `at` (its idle window starts again). */
  touchSession(tokenHash: string, at: Date): Promise<void>;
  /** Ends the session; a session revoked already keeps its first revocation time. */
  revokeSession(tokenHash: string, at: Date): Promise<void>;
}

/** The storage staff sign-in needs. */
export interface StaffPorts extends AuditPorts {
  readonly staff: StaffRepository;
}
