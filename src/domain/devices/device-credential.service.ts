import type { Clock } from '../../shared/clock.js';
import { AppError, ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorRef, PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import {
  activationCodeHash, mintActivationCode, mintDeviceToken, parseDeviceToken, sameHash, type DeviceCredential, type DeviceIdentity,
} from './device-credential.js';
import { DEVICE_MESSAGES } from './device-messages.js';
import type { DeviceCredentialSettings, DevicePorts, EnrolmentOutcomes } from './device-ports.js';

/** A token as handed to the phone, once. */
export interface IssuedCredential {
  readonly credentialId: string;
  readonly token: string;
  readonly expiresAt: Date;
}

export interface DeviceCredentialDeps {
  readonly uow: UnitOfWork<DevicePorts>;
  readonly audit: AuditService;
  readonly enrolments: EnrolmentOutcomes;
  readonly clock: Clock;
  readonly settings: DeviceCredentialSettings;
}

const DAY_MS = 86_400_000;
// Recording every request's time would write on every call of a busy phone; a minute is precise enough for a report.
const TOUCH_EVERY_MS = 60_000;

const limitReached = (max: number) => new ConflictError('DEVICE_LIMIT_REACHED',
  `The subject already has ${max} active device credentials; revoke one first.`, { max, messages: DEVICE_MESSAGES.DEVICE_LIMIT_REACHED });

/**
 * Device credentials bind a phone to one subject (docs/SECURITY.md): issued with a verified enrolment or by a
 * one-time code from the office, expiring, revocable by the phone and by an operator, a few per subject.
 */
export class DeviceCredentialService {
  constructor(private readonly deps: DeviceCredentialDeps) {}

  /** Refuses before anything is stored when the subject cannot take another phone. */
  async ensureRoom(subjectId: string): Promise<void> {
    const { clock, settings } = this.deps;
    const store = this.deps.uow.ports.devices;
    if (await store.countActive(subjectId, clock.now()) >= settings.maxActive) throw limitReached(settings.maxActive);
  }

  /** A pending credential for the phone that sent this enrolment; it works once the enrolment is verified. */
  async claimForEnrolment(subjectId: string, submissionId: string, actor: Actor): Promise<IssuedCredential> {
    return this.deps.uow.transaction(async (ports) => {
      const store = ports.devices;
      const credential = this.newCredential(subjectId, 'enrollment', actor, null, submissionId);
      await store.insert(credential.record);
      await this.deps.audit.record(this.issuedEvent(credential.record, actor), ports);
      return credential.issued;
    });
  }

  /** A one-time code an operator hands to the pensioner at the office (new phone, lost phone, a relative's phone). */
  async issueActivationCode(subjectId: string, actor: Actor): Promise<{ code: string; expiresAt: Date }> {
    await this.ensureRoom(subjectId);
    const now = this.deps.clock.now();
    const { code, codeHash } = mintActivationCode();
    const expiresAt = new Date(now.getTime() + this.deps.settings.codeTtlMinutes * 60_000);
    const id = newId();
    await this.deps.uow.transaction(async (ports) => {
      const store = ports.devices;
      await store.insertCode({ id, codeHash, subjectId, issuedBy: actorRef(actor), createdAt: now, expiresAt, usedAt: null, credentialId: null });
      await this.deps.audit.record({
        actor, action: 'device-credential.code-issued', purpose: PURPOSE, subjectId, targetType: 'activation_code', targetId: id,
        outcome: 'success', details: { expiresAt: expiresAt.toISOString() },
      }, ports);
    });
    return { code, expiresAt };
  }

  /** Redeems a code for a credential. Wrong, used and expired codes get one answer. */
  async activate(typedCode: string, label: string | null, actor: Actor): Promise<IssuedCredential & { subjectId: string }> {
    const invalid = () => new AppError('ACTIVATION_CODE_INVALID', 'The activation code is wrong, used or expired.', 404,
      { messages: DEVICE_MESSAGES.ACTIVATION_CODE_INVALID });
    const codeHash = activationCodeHash(typedCode);
    if (!codeHash) throw invalid();
    const { clock, settings } = this.deps;
    return this.deps.uow.transaction(async (ports) => {
      const store = ports.devices;
      const now = clock.now();
      const code = await store.redeemCode(codeHash, now);
      if (!code) throw invalid();
      if (await store.countActive(code.subjectId, now) >= settings.maxActive) throw limitReached(settings.maxActive);
      const { record, issued } = this.newCredential(code.subjectId, 'activation-code', actor, label, null);
      await store.insert({ ...record, issuedBy: code.issuedBy, activatedAt: now });
      await store.linkCode(code.id, record.id);
      await this.deps.audit.record(this.issuedEvent(record, actor), ports);
      return { ...issued, subjectId: code.subjectId };
    });
  }

  /** The phone behind a token, or null: unknown, wrong secret, revoked, expired, or its enrolment not (yet) verified. */
  async authenticate(token: string): Promise<DeviceIdentity | null> {
    const parsed = parseDeviceToken(token);
    if (!parsed) return null;
    const { clock, enrolments, settings } = this.deps;
    const store = this.deps.uow.ports.devices;
    const c = await store.findById(parsed.id);
    const now = clock.now();
    if (!c || !sameHash(c.secretHash, parsed.secretHash) || c.revokedAt || c.expiresAt <= now) return null;
    if (!c.activatedAt) {
      if (!c.enrollmentSubmissionId || !(await enrolments.isVerifiedEnrolment(c.enrollmentSubmissionId, c.subjectId))) return null;
      if (await store.countActive(c.subjectId, now) >= settings.maxActive) return null;
      await store.activate(c.id, now);
    }
    if (!c.lastUsedAt || now.getTime() - c.lastUsedAt.getTime() >= TOUCH_EVERY_MS) await store.touch(c.id, now);
    return { credentialId: c.id, subjectId: c.subjectId };
  }

  /**
   * Refuses a phone whose own verifications failed DEVICE_MAX_FAILURES times in the window: set below the subject's
   * lockout, one stolen or misused phone is stopped before its failures can lock its pensioner out everywhere.
   */
  async ensureNotLockedOut(credentialId: string): Promise<void> {
    const { clock, settings } = this.deps;
    const store = this.deps.uow.ports.devices;
    const windowMs = settings.failureWindowMinutes * 60_000;
    const failures = await store.failuresSince(credentialId, new Date(clock.now().getTime() - windowMs));
    if (failures.length < settings.maxFailures) return;
    const lockedUntil = new Date(failures[failures.length - settings.maxFailures]!.getTime() + windowMs);
    throw new AppError('DEVICE_LOCKED_OUT', 'Too many failed checks from this phone; try again later or visit the office.', 429, {
      lockedUntil: lockedUntil.toISOString(), messages: DEVICE_MESSAGES.DEVICE_LOCKED_OUT,
    });
  }

  /** Remembers that this phone sent this verification (for its own failure count). */
  recordSubmission(credentialId: string, submissionId: string): Promise<void> {
    return this.deps.uow.ports.devices.recordSubmission(submissionId, credentialId, this.deps.clock.now());
  }

  list(subjectId: string): Promise<DeviceCredential[]> {
    return this.deps.uow.ports.devices.listForSubject(subjectId);
  }

  /** Who obtained the credential issued with this enrolment (`api-key:<id>`), or null: lets that caller read its answer. */
  async enrolmentClaimant(submissionId: string): Promise<string | null> {
    return (await this.deps.uow.ports.devices.findByEnrollment(submissionId))?.issuedBy ?? null;
  }

  /** Revokes one of the subject's credentials (by the phone itself, or an operator). */
  async revoke(subjectId: string, credentialId: string, reason: string, actor: Actor): Promise<DeviceCredential> {
    return this.deps.uow.transaction(async (ports) => {
      const store = ports.devices;
      const c = await store.findById(credentialId);
      if (!c || c.subjectId !== subjectId) throw new NotFoundError('DEVICE_CREDENTIAL_NOT_FOUND', `No device credential "${credentialId}" for this subject.`);
      const now = this.deps.clock.now();
      if (await store.revoke(c.id, now, actorRef(actor), reason)) {
        await this.deps.audit.record({
          actor, action: 'device-credential.revoked', purpose: PURPOSE, subjectId, targetType: 'device_credential', targetId: c.id,
          outcome: 'success', details: { reason },
        }, ports);
      }
      return (await store.findById(c.id))!;
    });
  }

  private newCredential(subjectId: string, issuedVia: DeviceCredential['issuedVia'], actor: Actor, label: string | null, submissionId: string | null) {
    const now = this.deps.clock.now();
    const { id, token, secretHash } = mintDeviceToken();
    const expiresAt = new Date(now.getTime() + this.deps.settings.ttlDays * DAY_MS);
    const record: DeviceCredential = {
      id, subjectId, secretHash, label, issuedVia, issuedBy: actorRef(actor), enrollmentSubmissionId: submissionId, createdAt: now,
      activatedAt: null, expiresAt, lastUsedAt: null, revokedAt: null, revokedBy: null, revocationReason: null,
    };
    return { record, issued: { credentialId: id, token, expiresAt } };
  }

  private issuedEvent(c: DeviceCredential, actor: Actor) {
    return {
      actor, action: 'device-credential.issued' as const, purpose: PURPOSE, subjectId: c.subjectId, targetType: 'device_credential',
      targetId: c.id, outcome: 'success' as const, details: { issuedVia: c.issuedVia, expiresAt: c.expiresAt.toISOString() },
    };
  }
}
