import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** How a credential came to the phone: with its verified enrolment, or by an activation code from the office. */
export type IssuedVia = 'enrollment' | 'activation-code';

/** A phone's credential for one subject, as stored (the secret only as its SHA-256). */
export interface DeviceCredential {
  readonly id: string;
  readonly subjectId: string;
  readonly secretHash: string;
  readonly label: string | null;
  readonly issuedVia: IssuedVia;
  /** `api-key:<id>` or `device:<id>` of whoever obtained it, or the operator who issued the code. */
  readonly issuedBy: string;
  /** For `enrollment`: the enrolment whose verified decision activates it. */
  readonly enrollmentSubmissionId: string | null;
  readonly createdAt: Date;
  /** Null while pending (an enrolment credential before its enrolment is verified). */
  readonly activatedAt: Date | null;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  readonly revocationReason: string | null;
}

/** The phone behind a request, once its credential checked out. */
export interface DeviceIdentity {
  readonly credentialId: string;
  /** Internal id of the one subject this phone acts for. */
  readonly subjectId: string;
}

/** A one-time code issued at the office, as stored (the code only as its SHA-256). */
export interface ActivationCode {
  readonly id: string;
  readonly codeHash: string;
  readonly subjectId: string;
  readonly issuedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly credentialId: string | null;
}

const TOKEN_RE = /^znd_dev_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Device tokens have their own prefix, so the authenticator can tell them from API keys without a lookup. */
export const isDeviceToken = (token: string): boolean => token.startsWith('znd_dev_');

/** A high-entropy secret needs no slow hash (docs/SECURITY.md): SHA-256, hex. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A new token: 64-bit public id and 256-bit secret. Only the id and the secret's hash are kept. */
export function mintDeviceToken(): { id: string; token: string; secretHash: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `znd_dev_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

/** The id and the secret's hash of a presented token, or null when it is not one. */
export function parseDeviceToken(token: string): { id: string; secretHash: string } | null {
  const match = TOKEN_RE.exec(token);
  return match ? { id: match[1]!, secretHash: sha256Hex(match[2]!) } : null;
}

/** Constant-time equality of two SHA-256 hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

// Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;

/** A new activation code: 16 characters of 5 bits (80 random bits), shown as four groups of four. */
export function mintActivationCode(): { code: string; codeHash: string } {
  let raw = '';
  for (let k = 0; k < CODE_LENGTH; k++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return { code: raw.match(/.{4}/g)!.join('-'), codeHash: sha256Hex(raw) };
}

/** The hash a typed code is looked up by: case, dashes and spaces ignored, O read as 0 and I/L as 1. */
export function activationCodeHash(typed: string): string | null {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== CODE_LENGTH || [...raw].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return sha256Hex(raw);
}
