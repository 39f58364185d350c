import { describe, expect, it } from 'vitest';
import { AuditService } from '../../../../src/domain/audit/audit.service.js';
import type { ActivationCode, DeviceCredential } from '../../../../src/domain/devices/device-credential.js';
import { activationCodeHash, mintActivationCode } from '../../../../src/domain/devices/device-credential.js';
import { DeviceCredentialService } from '../../../../src/domain/devices/device-credential.service.js';
import type { DeviceCredentialRepository } from '../../../../src/domain/devices/device-ports.js';
import { InMemoryAuditLog } from '../../../support/in-memory/audit.js';
import { inMemoryUnitOfWork } from '../../../support/in-memory/unit-of-work.js';

/** A store double over two maps: enough to test the rules, not the SQL (the integration tests run that). */
class MemoryStore implements DeviceCredentialRepository {
  readonly credentials = new Map<string, DeviceCredential>();
  readonly codes = new Map<string, ActivationCode>();
  async insert(c: DeviceCredential) { this.credentials.set(c.id, c); }
  async findById(id: string) { return this.credentials.get(id) ?? null; }
  async findByEnrollment(s: string) { return [...this.credentials.values()].find((c) => c.enrollmentSubmissionId === s) ?? null; }
  async listForSubject(s: string) { return [...this.credentials.values()].filter((c) => c.subjectId === s); }
  async countActive(s: string, now: Date) {
    return (await this.listForSubject(s)).filter((c) => c.activatedAt && !c.revokedAt && c.expiresAt > now).length;
  }
  async activate(id: string, at: Date) { this.credentials.set(id, { ...this.credentials.get(id)!, activatedAt: at }); }
  async touch(id: string, at: Date) { this.credentials.set(id, { ...this.credentials.get(id)!, lastUsedAt: at }); }
  async revoke(id: string, at: Date, by: string, reason: string) {
    const c = this.credentials.get(id)!;
    if (c.revokedAt) return false;
    this.credentials.set(id, { ...c, revokedAt: at, revokedBy: by, revocationReason: reason });
    return true;
  }
  async insertCode(c: ActivationCode) { this.codes.set(c.codeHash, c); }
  async redeemCode(hash: string, at: Date) {
    const c = this.codes.get(hash);
    if (!c || c.usedAt || c.expiresAt <= at) return null;
    this.codes.set(hash, { ...c, usedAt: at });
    return c;
  }
  async linkCode() {}
  readonly failures = new Map<string, Date[]>();
  async recordSubmission() {}
  async failuresSince(id: string, since: Date) { return (this.failures.get(id) ?? []).filter((d) => d >= since); }
}

function setup(verified = new Set<string>()) {
  const store = new MemoryStore();
  const log = new InMemoryAuditLog();
  let now = new Date('2026-12-01T10:00:00Z');
  const clock = { now: () => now, msUntil: () => 0 };
  const uow = inMemoryUnitOfWork({ devices: store, audit: log });
  const service = new DeviceCredentialService({
    uow, audit: new AuditService({ uow, clock }),
    enrolments: { isVerifiedEnrolment: async (id) => verified.has(id) },
    clock, settings: { ttlDays: 730, maxActive: 2, codeTtlMinutes: 15, maxFailures: 3, failureWindowMinutes: 30 },
  });
  return { store, audited: log.entries, service, verified, now: () => now, advance: (ms: number) => { now = new Date(now.getTime() + ms); } };
}

const APP = { type: 'api-key' as const, id: 'appkey', role: 'mobile-client' };
const OPERATOR = { type: 'api-key' as const, id: 'opkey', role: 'operator' };

describe('device credentials', () => {
  it('an enrolment credential is pending until its enrolment is verified, then works and records its use', async () => {
    const { service, verified, store } = setup();
    const issued = await service.claimForEnrolment('subject-a', 'sub-1', APP);
    expect(issued.token).toMatch(/^znd_dev_[0-9a-f]{16}_/);
    expect(await service.authenticate(issued.token)).toBeNull();
    verified.add('sub-1');
    expect(await service.authenticate(issued.token)).toEqual({ credentialId: issued.credentialId, subjectId: 'subject-a' });
    expect(store.credentials.get(issued.credentialId)!.lastUsedAt).not.toBeNull();
    expect([...store.credentials.values()][0]!.secretHash).not.toContain(issued.token.slice(-43));
  });

  it('refuses a wrong secret, a revoked and an expired credential', async () => {
    const { service, advance } = setup(new Set(['sub-1', 'sub-2']));
    const a = await service.claimForEnrolment('subject-a', 'sub-1', APP);
    const b = await service.claimForEnrolment('subject-a', 'sub-2', APP);
    expect(await service.authenticate(`${a.token.slice(0, -1)}${a.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    await service.revoke('subject-a', a.credentialId, 'lost phone', OPERATOR);
    expect(await service.authenticate(a.token)).toBeNull();
    expect(await service.authenticate(b.token)).not.toBeNull();
    advance(731 * 86_400_000);
    expect(await service.authenticate(b.token)).toBeNull();
  });

  it('an activation code works once, within its minutes, for its subject only', async () => {
    const { service, advance, audited } = setup();
    const { code } = await service.issueActivationCode('subject-a', OPERATOR);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const got = await service.activate(code.toLowerCase(), 'daughter phone', APP);
    expect(got.subjectId).toBe('subject-a');
    expect(await service.authenticate(got.token)).toMatchObject({ subjectId: 'subject-a' });
    await expect(service.activate(code, null, APP)).rejects.toMatchObject({ code: 'ACTIVATION_CODE_INVALID', status: 404 });
    const late = await service.issueActivationCode('subject-a', OPERATOR);
    advance(16 * 60_000);
    await expect(service.activate(late.code, null, APP)).rejects.toMatchObject({ code: 'ACTIVATION_CODE_INVALID' });
    await expect(service.activate('not a code', null, APP)).rejects.toMatchObject({ code: 'ACTIVATION_CODE_INVALID' });
    expect(audited.map((e) => e.action)).toEqual(['device-credential.code-issued', 'device-credential.issued', 'device-credential.code-issued']);
  });

  it('holds at most the configured number of active credentials per subject', async () => {
    const { service } = setup();
    for (let k = 0; k < 2; k++) await service.activate((await service.issueActivationCode('subject-a', OPERATOR)).code, null, APP);
    await expect(service.issueActivationCode('subject-a', OPERATOR)).rejects.toMatchObject({ code: 'DEVICE_LIMIT_REACHED', status: 409 });
    await expect(service.ensureRoom('subject-a')).rejects.toMatchObject({ code: 'DEVICE_LIMIT_REACHED' });
    await service.ensureRoom('subject-b');
  });

  it('refuses a phone after its own failed checks, until the oldest counted one leaves the window', async () => {
    const { service, store, now, advance } = setup();
    const at = (minAgo: number) => new Date(now().getTime() - minAgo * 60_000);
    store.failures.set('phone', [at(20), at(10)]);
    await service.ensureNotLockedOut('phone');
    store.failures.set('phone', [at(20), at(10), at(1)]);
    await expect(service.ensureNotLockedOut('phone')).rejects.toMatchObject({
      status: 429, code: 'DEVICE_LOCKED_OUT', details: { lockedUntil: new Date(at(20).getTime() + 30 * 60_000).toISOString() },
    });
    await service.ensureNotLockedOut('another phone');
    advance(11 * 60_000);
    await service.ensureNotLockedOut('phone');
  });

  it('reads typed codes forgivingly (O for 0, I and L for 1, dashes and spaces)', () => {
    const { code, codeHash } = mintActivationCode();
    expect(activationCodeHash(code.replace(/-/g, ' '))).toBe(codeHash);
    expect(activationCodeHash(code.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(codeHash);
  });
});
