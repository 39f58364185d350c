import { describe, expect, it } from 'vitest';
import { AuditService } from '../../../../src/domain/audit/audit.service.js';
import { StaffAuthService } from '../../../../src/domain/staff/staff-auth.service.js';
import { InMemoryAuditLog } from '../../../support/in-memory/audit.js';
import { InMemoryStaff } from '../../../support/in-memory/staff.js';
import { inMemoryUnitOfWork } from '../../../support/in-memory/unit-of-work.js';
import { MutableClock } from '../../../support/mutable-clock.js';

const PASSWORD = 'correct horse battery staple';
const MINUTE = 60_000;
const SETTINGS = { idleMs: 30 * MINUTE, absoluteMs: 10 * 60 * MINUTE, lockAfterFailures: 3, lockMs: 15 * MINUTE };

/** Sign-in over in-memory staff accounts, with one reviewer created. */
async function world() {
  const clock = new MutableClock(new Date('2026-12-01T08:00:00Z'));
  const log = new InMemoryAuditLog();
  const staff = new InMemoryStaff();
  const uow = inMemoryUnitOfWork({ staff, audit: log });
  const auth = new StaffAuthService({ uow, audit: new AuditService({ uow, clock }), clock, settings: SETTINGS });
  const zarina = await auth.createUser('zarina', 'Zarina Rahimova', 'reviewer', PASSWORD);
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));
  const reasons = () => log.entries.map((e) => `${e.outcome}:${(e.details as { reason?: string } | null)?.reason ?? ''}`);
  return { auth, staff, log, zarina, advance, reasons };
}

describe('staff accounts', () => {
  it('refuses a short password and a user name that is taken', async () => {
    const { auth } = await world();
    await expect(auth.createUser('farruh', 'Farruh', 'operator', 'short')).rejects.toMatchObject({ code: 'PASSWORD_TOO_SHORT', status: 400 });
    await expect(auth.createUser('zarina', 'Another Zarina', 'admin', PASSWORD)).rejects.toMatchObject({ code: 'STAFF_EXISTS', status: 409 });
  });

  it('keeps only a memory-hard hash of the password', async () => {
    const { zarina } = await world();
    expect(zarina.passwordHash).toMatch(/^scrypt\$/);
    expect(zarina.passwordHash).not.toContain(PASSWORD);
  });
});

describe('signing in', () => {
  it('the right password opens a session; every attempt is audited, without the password', async () => {
    const { auth, log } = await world();
    const result = await auth.login('zarina', PASSWORD, '10.0.0.7');
    expect(result).toMatchObject({ ok: true, principal: { username: 'zarina', displayName: 'Zarina Rahimova', role: 'reviewer' } });
    expect(await auth.login('nobody', PASSWORD, '10.0.0.7')).toEqual({ ok: false, reason: 'invalid' });
    expect(log.entries.map((e) => [e.action, e.outcome])).toEqual([['staff.login', 'success'], ['staff.login', 'denied']]);
    expect(JSON.stringify(log.entries)).not.toContain(PASSWORD);
  });

  it('locks the account after repeated wrong passwords, refuses even the right one while locked, and opens again after the lock', async () => {
    const { auth, staff, zarina, advance, reasons } = await world();
    for (let k = 0; k < SETTINGS.lockAfterFailures; k++) expect(await auth.login('zarina', 'wrong password!', null)).toEqual({ ok: false, reason: 'invalid' });
    expect(staff.users.get(zarina.id)!.lockedUntil).not.toBeNull();
    expect(await auth.login('zarina', PASSWORD, null)).toEqual({ ok: false, reason: 'locked' });

    advance(SETTINGS.lockMs - MINUTE);
    expect(await auth.login('zarina', PASSWORD, null)).toEqual({ ok: false, reason: 'locked' });
    advance(2 * MINUTE);
    expect((await auth.login('zarina', PASSWORD, null)).ok).toBe(true);
    expect(staff.users.get(zarina.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(reasons()).toEqual(['denied:invalid', 'denied:invalid', 'denied:invalid', 'denied:locked', 'denied:locked', 'success:']);
  });

  it('a right password in between starts the count again', async () => {
    const { auth } = await world();
    for (let k = 0; k < SETTINGS.lockAfterFailures - 1; k++) await auth.login('zarina', 'wrong password!', null);
    expect((await auth.login('zarina', PASSWORD, null)).ok).toBe(true);
    for (let k = 0; k < SETTINGS.lockAfterFailures - 1; k++) await auth.login('zarina', 'wrong password!', null);
    expect((await auth.login('zarina', PASSWORD, null)).ok).toBe(true);
  });

  it('refuses a disabled account as if it did not exist', async () => {
    const { auth, staff, zarina } = await world();
    staff.users.set(zarina.id, { ...zarina, disabledAt: new Date() });
    expect(await auth.login('zarina', PASSWORD, null)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('sessions', () => {
  it('a session used within the idle window lives on; one left idle ends and stays ended', async () => {
    const { auth, advance } = await world();
    const login = await auth.login('zarina', PASSWORD, null);
    if (!login.ok) throw new Error('login failed');
    advance(SETTINGS.idleMs - MINUTE);
    expect(await auth.session(login.token)).toMatchObject({ username: 'zarina', csrfToken: login.principal.csrfToken });
    advance(SETTINGS.idleMs + MINUTE);
    expect(await auth.session(login.token)).toBeNull();
    advance(-SETTINGS.idleMs);
    expect(await auth.session(login.token)).toBeNull();
  });

  it('no session outlives its absolute lifetime, however busy; logging out ends it at once', async () => {
    const { auth, advance } = await world();
    const first = await auth.login('zarina', PASSWORD, null);
    if (!first.ok) throw new Error('login failed');
    for (let t = 0; t < SETTINGS.absoluteMs; t += SETTINGS.idleMs / 2) {
      expect(await auth.session(first.token)).not.toBeNull();
      advance(SETTINGS.idleMs / 2);
    }
    expect(await auth.session(first.token)).toBeNull();

    const second = await auth.login('zarina', PASSWORD, null);
    if (!second.ok) throw new Error('login failed');
    await auth.logout(second.token);
    expect(await auth.session(second.token)).toBeNull();
  });

  it('the CSRF token must match the session’s', async () => {
    const { auth } = await world();
    const login = await auth.login('zarina', PASSWORD, null);
    if (!login.ok) throw new Error('login failed');
    expect(StaffAuthService.csrfValid(login.principal, login.principal.csrfToken)).toBe(true);
    const token = login.principal.csrfToken;
    expect(StaffAuthService.csrfValid(login.principal, `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`)).toBe(false);
    expect(StaffAuthService.csrfValid(login.principal, undefined)).toBe(false);
  });
});
