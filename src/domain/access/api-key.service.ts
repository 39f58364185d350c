import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { hashSecret, KEY_COST, verifySecret } from '../../shared/secret-hash.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { AccessPorts, ApiKeySummary } from './access-ports.js';
import type { Role } from './roles.js';

const KEY_RE = /^znd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
// A verified key is remembered briefly so each request does not pay a memory-hard hash.
const CACHE_TTL_MS = 60_000;

/** The caller, once its key checked out. */
export interface Principal {
  readonly apiKeyId: string;
  readonly keyId: string;
  readonly role: Role;
}

/** Failed attempts per key id and source in fixed windows, shared by every API process (best effort: 0 if unknown). */
export interface KeyFailureCounter {
  /** Failures of `name` in the current window, and milliseconds until that window ends. */
  failures(name: string): Promise<{ count: number; resetMs: number }>;
  fail(name: string): Promise<void>;
}

/**
 * How many wrong secrets one source may present for one key id before it is refused without a hash for the rest of
 * the window (AUTH_KEY_MAX_FAILURES per AUTH_KEY_FAILURE_WINDOW_MIN).
 *
 * Why per key id AND source, not per key id alone: a key id is not secret (it is the visible part of every key and
 * sits in logs and the audit trail), so a lock on the key id alone would let any stranger lock a pension office's app
 * out with ten requests. Counted per source, the stranger locks out only their own address; the key keeps working
 * from everywhere else, and from the same address for a client whose key was verified moments ago (the cache is
 * consulted first). Guessing a 256-bit secret is hopeless anyway: the limit takes away the CPU lever (one scrypt per
 * attempt), which the per-address rate limit bounds across key ids. Unknown key ids are counted and refused alike,
 * so the limit does not tell which key ids exist either.
 */
export interface KeyFailureLimit {
  readonly counter: KeyFailureCounter;
  readonly maxFailures: number;
}

/** A source presented too many wrong secrets for one key id: 429 until the window ends. */
export class KeyThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('AUTH_THROTTLED', 'Too many failed attempts with this key from your address; wait before trying again.', 429, { retryAfterSeconds });
  }
}

export interface ApiKeyServiceDeps {
  readonly uow: UnitOfWork<AccessPorts>;
  /** Without it (the CLI, first start), wrong secrets are not counted. */
  readonly limit?: KeyFailureLimit;
}

/** API keys: shown once at creation, stored as a salted scrypt hash, compared in constant time. */
export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  /** Verified against when a key id is unknown, so that it costs the same scrypt as a wrong secret; made on first need
   * (the CLI and first start create keys and never verify one). */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: ApiKeyServiceDeps) {}

  /** A new key; `ports` places it in a caller's transaction (first start creates it with the first admin). */
  async create(role: Role, label: string | null, ports: AccessPorts = this.deps.uow.ports): Promise<{ key: string; keyId: string }> {
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await ports.apiKeys.insert({ id: newId(), keyId, secretHash: await hashSecret(secret, KEY_COST), role, label });
    return { key: `znd_${keyId}_${secret}`, keyId };
  }

  /**
   * The principal behind a presented key, or null. Every well-formed key costs one scrypt, whether its key id exists,
   * is revoked or not, so the answer time does not tell which key ids exist. `source` (the client address) scopes the
   * failure limit; throws KeyThrottledError past it.
   */
  async authenticate(presented: string, source: string | null = null): Promise<Principal | null> {
    const match = KEY_RE.exec(presented);
    if (!match) return null;
    const [, keyId, secret] = match as unknown as [string, string, string];
    const cacheKey = createHash('sha256').update(presented).digest('hex');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.principal;

    const { limit } = this.deps;
    const limited = limit && source ? `${keyId}@${source}` : null;
    if (limited) {
      const { count, resetMs } = await limit!.counter.failures(limited);
      if (count >= limit!.maxFailures) throw new KeyThrottledError(Math.max(1, Math.ceil(resetMs / 1000)));
    }
    const record = await this.deps.uow.ports.apiKeys.findByKeyId(keyId);
    const matches = await verifySecret(secret, record?.secretHash ?? await (this.dummyHash ??= hashSecret(randomBytes(32).toString('base64url'), KEY_COST)));
    if (!record || record.revokedAt || !matches) {
      if (limited) await limit!.counter.fail(limited);
      return null;
    }
    const principal: Principal = { apiKeyId: record.id, keyId, role: record.role };
    this.cache.set(cacheKey, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  /** Every key without its secret, for operators. */
  list(): Promise<ApiKeySummary[]> {
    return this.deps.uow.ports.apiKeys.list();
  }

  async revoke(keyId: string, at: Date): Promise<boolean> {
    this.cache.clear();
    return this.deps.uow.ports.apiKeys.revoke(keyId, at);
  }
}
