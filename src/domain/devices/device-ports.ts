import type { AuditPorts } from '../audit/audit-ports.js';
import type { ActivationCode, DeviceCredential } from './device-credential.js';

/** Where device credentials and activation codes are kept (a repository in src/storage implements it). */
export interface DeviceCredentialRepository {
  insert(credential: DeviceCredential): Promise<void>;
  findById(id: string): Promise<DeviceCredential | null>;
  /** The credential issued with an enrolment, if any. */
  findByEnrollment(submissionId: string): Promise<DeviceCredential | null>;
  listForSubject(subjectId: string): Promise<DeviceCredential[]>;
  /** Activated, not revoked, not expired at `now`. */
  countActive(subjectId: string, now: Date): Promise<number>;
  activate(id: string, at: Date): Promise<void>;
  /** Records a use; callers throttle it so a busy phone does not write on every request. */
  touch(id: string, at: Date): Promise<void>;
  revoke(id: string, at: Date, by: string, reason: string): Promise<boolean>;
  insertCode(code: ActivationCode): Promise<void>;
  /** Marks an unused, unexpired code used; null when no such code exists (wrong, used or expired alike). */
  redeemCode(codeHash: string, at: Date): Promise<ActivationCode | null>;
  /** Records which credential a redeemed code became. */
  linkCode(codeId: string, credentialId: string): Promise<void>;
  /** Records that this phone sent this verification. */
  recordSubmission(submissionId: string, credentialId: string, at: Date): Promise<void>;
  /** When this phone's verifications failed since `since` (the worker's failed attempts), oldest first. */
  failuresSince(credentialId: string, since: Date): Promise<Date[]>;
}

/** The storage the device service needs; in one transaction a change and its audit entry commit together. */
export interface DevicePorts extends AuditPorts {
  readonly devices: DeviceCredentialRepository;
}

/** Whether an enrolment ended verified (by the machine or a reviewer): what activates its pending credential. */
export interface EnrolmentOutcomes {
  isVerifiedEnrolment(submissionId: string, subjectId: string): Promise<boolean>;
}

/** Lifetimes and limits (DEVICE_CREDENTIAL_TTL_DAYS, DEVICE_CREDENTIALS_MAX_ACTIVE, ACTIVATION_CODE_TTL_MIN, DEVICE_MAX_FAILURES, DEVICE_FAILURE_WINDOW_MIN). */
export interface DeviceCredentialSettings {
  readonly ttlDays: number;
  readonly maxActive: number;
  readonly codeTtlMinutes: number;
  /** Failed verifications from one phone within `failureWindowMinutes` after which that phone is refused. */
  readonly maxFailures: number;
  readonly failureWindowMinutes: number;
}
