import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { hashSecret, PASSWORD_COST, verifySecret } from '../../shared/secret-hash.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { StaffPorts, StaffRole, StaffUser } from './staff-ports.js';

export interface SessionSettings {
  /** A session unused this long is over (a reviewer who walked away). */
  readonly idleMs: number;
  /** No session outlives a working day. */
  readonly absoluteMs: number;
  readonly lockAfterFailures: number;
  readonly lockMs: number;
}

/** A signed-in staff member, as pages see them. */
export interface StaffPrincipal {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly csrfToken: string;
}

export interface StaffAuthDeps {
  readonly uow: UnitOfWork<StaffPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly settings: SessionSettings;
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly principal: StaffPrincipal }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

// Equalises timing between unknown users and wrong passwords.
const DUMMY_HASH = 'scrypt$65536$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Staff sign-in: memory-hard password hashes, lockout after repeated failures, server-side sessions. */
export class StaffAuthService {
  constructor(private readonly deps: StaffAuthDeps) {}

  // Each write stands alone (a wrong password's count must stick whatever follows): no transaction.
  private get staff() {
    return this.deps.uow.ports.staff;
  }

  async createUser(username: string, displayName: string, role: StaffRole, password: string): Promise<StaffUser> {
    if (password.length < 12) throw new ValidationError('PASSWORD_TOO_SHORT', 'Staff passwords need at least 12 characters.');
    const id = newId();
    const inserted = await this.staff.insert({ id, username, displayName, role, passwordHash: await hashSecret(password, PASSWORD_COST) });
    if (!inserted) throw new ConflictError('STAFF_EXISTS', `A staff account "${username}" already exists.`);
    return (await this.staff.findById(id))!;
  }

  async login(username: string, password: string, ip: string | null): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const user = await this.staff.findByUsername(username);
    const passwordOk = await verifySecret(password, user?.passwordHash ?? DUMMY_HASH);
    const actor = { type: 'staff' as const, id: user?.id ?? null, role: user?.role ?? null };
    if (!user || user.disabledAt) {
      await this.deps.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'invalid', ip } });
      return { ok: false, reason: 'invalid' };
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.deps.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'locked', ip } });
      return { ok: false, reason: 'locked' };
    }
    if (!passwordOk) {
      await this.staff.recordFailure(user.id, this.deps.settings.lockAfterFailures, new Date(now.getTime() + this.deps.settings.lockMs));
      await this.deps.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'invalid', ip } });
      return { ok: false, reason: 'invalid' };
    }
    await this.staff.recordSuccess(user.id);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.staff.insertSession({ tokenHash: hashToken(token), userId: user.id, csrfToken, at: now, expiresAt: new Date(now.getTime() + this.deps.settings.absoluteMs) });
    await this.deps.audit.record({ actor, action: 'staff.login', outcome: 'success', details: { ip } });
    return { ok: true, token, principal: { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, csrfToken } };
  }

  /** The session behind a cookie, if alive; touching it extends the idle window. */
  async session(token: string): Promise<StaffPrincipal | null> {
    const session = await this.staff.findSession(hashToken(token));
    const now = this.deps.clock.now();
    if (!session || session.revokedAt || session.expiresAt <= now) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > this.deps.settings.idleMs) {
      await this.staff.revokeSession(session.tokenHash, now);
      return null;
    }
    const user = await this.staff.findById(session.userId);
    if (!user || user.disabledAt) return null;
    await this.staff.touchSession(session.tokenHash, now);
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, csrfToken: session.csrfToken };
  }

  /** Display names of staff ids (audit pages name people, not ids); unknown ids are left out. */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    // Audit actors also hold API key ids and component names: only uuids can be staff.
    const staffIds = [...new Set(ids)].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    const users = await Promise.all(staffIds.map((id) => this.staff.findById(id)));
    return new Map(users.filter((u): u is StaffUser => u !== null).map((u) => [u.id, u.displayName]));
  }

  /** A staff id from a user name (an auditor filters by the name they know). */
  async idOf(username: string): Promise<string | null> {
    return (await this.staff.findByUsername(username))?.id ?? null;
  }

  async logout(token: string): Promise<void> {
    await this.staff.revokeSession(hashToken(token), this.deps.clock.now());
  }

  /** Synchroniser-token check for every state-changing form. */
  static csrfValid(principal: StaffPrincipal, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length !== principal.csrfToken.length) return false;
    return timingSafeEqual(Buffer.from(presented), Buffer.from(principal.csrfToken));
  }
}
