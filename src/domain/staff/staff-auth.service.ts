import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { hashSecret, PASSWORD_COST, verifySecret } from '../../shared/secret-hash.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { StaffRole, StaffUser } from '../../storage/repositories/staff.repository.js';
import type { AuditService } from '../audit/audit.service.js';

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

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly principal: StaffPrincipal }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

// Equalises timing between unknown users and wrong passwords.
const DUMMY_HASH = 'scrypt$65536$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Staff sign-in: memory-hard password hashes, lockout after repeated failures, server-side sessions. */
export class StaffAuthService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async createUser(username: string, displayName: string, role: StaffRole, password: string): Promise<StaffUser> {
    if (password.length < 12) throw new ValidationError('PASSWORD_TOO_SHORT', 'Staff passwords need at least 12 characters.');
    const repos = createRepositories(this.db);
    const id = newId();
    const inserted = await repos.staff.insert({ id, username, displayName, role, passwordHash: await hashSecret(password, PASSWORD_COST) });
    if (!inserted) throw new ConflictError('STAFF_EXISTS', `A staff account "${username}" already exists.`);
    return (await repos.staff.findById(id))!;
  }

  async login(username: string, password: string, ip: string | null): Promise<LoginResult> {
    const repos = createRepositories(this.db);
    const now = this.clock.now();
    const user = await repos.staff.findByUsername(username);
    const passwordOk = await verifySecret(password, user?.passwordHash ?? DUMMY_HASH);
    const actor = { type: 'staff' as const, id: user?.id ?? null, role: user?.role ?? null };
    if (!user || user.disabledAt) {
      await this.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'invalid', ip } });
      return { ok: false, reason: 'invalid' };
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'locked', ip } });
      return { ok: false, reason: 'locked' };
    }
    if (!passwordOk) {
      await repos.staff.recordFailure(user.id, this.settings.lockAfterFailures, new Date(now.getTime() + this.settings.lockMs));
      await this.audit.record({ actor, action: 'staff.login', outcome: 'denied', details: { reason: 'invalid', ip } });
      return { ok: false, reason: 'invalid' };
    }
    await repos.staff.recordSuccess(user.id);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await repos.staff.insertSession({ tokenHash: hashToken(token), userId: user.id, csrfToken, at: now, expiresAt: new Date(now.getTime() + this.settings.absoluteMs) });
    await this.audit.record({ actor, action: 'staff.login', outcome: 'success', details: { ip } });
    return { ok: true, token, principal: { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, csrfToken } };
  }

  /** The session behind a cookie, if alive; touching it extends the idle window. */
  async session(token: string): Promise<StaffPrincipal | null> {
    const repos = createRepositories(this.db);
    const session = await repos.staff.findSession(hashToken(token));
    const now = this.clock.now();
    if (!session || session.revokedAt || session.expiresAt <= now) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > this.settings.idleMs) {
      await repos.staff.revokeSession(session.tokenHash, now);
      return null;
    }
    const user = await repos.staff.findById(session.userId);
    if (!user || user.disabledAt) return null;
    await repos.staff.touchSession(session.tokenHash, now);
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, csrfToken: session.csrfToken };
  }

  /** Display names of staff ids (audit pages name people, not ids); unknown ids are left out. */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const repos = createRepositories(this.db);
    // Audit actors also hold API key ids and component names: only uuids can be staff.
    const staffIds = [...new Set(ids)].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    const users = await Promise.all(staffIds.map((id) => repos.staff.findById(id)));
    return new Map(users.filter((u): u is StaffUser => u !== null).map((u) => [u.id, u.displayName]));
  }

  /** A staff id from a user name (an auditor filters by the name they know). */
  async idOf(username: string): Promise<string | null> {
    return (await createRepositories(this.db).staff.findByUsername(username))?.id ?? null;
  }

  async logout(token: string): Promise<void> {
    await createRepositories(this.db).staff.revokeSession(hashToken(token), this.clock.now());
  }

  /** Synchroniser-token check for every state-changing form. */
  static csrfValid(principal: StaffPrincipal, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length !== principal.csrfToken.length) return false;
    return timingSafeEqual(Buffer.from(presented), Buffer.from(principal.csrfToken));
  }
}
