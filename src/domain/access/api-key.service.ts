import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../../shared/ids.js';
import { hashSecret, KEY_COST, verifySecret } from '../../shared/secret-hash.js';
import type { ApiKeyRepository, ApiKeySummary } from '../../storage/repositories/api-key.repository.js';
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

/** API keys: shown once at creation, stored as a salted scrypt hash, compared in constant time. */
export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly keys: ApiKeyRepository) {}

  async create(role: Role, label: string | null): Promise<{ key: string; keyId: string }> {
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.keys.insert({ id: newId(), keyId, secretHash: await hashSecret(secret, KEY_COST), role, label });
    return { key: `znd_${keyId}_${secret}`, keyId };
  }

  async authenticate(presented: string): Promise<Principal | null> {
    const match = KEY_RE.exec(presented);
    if (!match) return null;
    const [, keyId, secret] = match as unknown as [string, string, string];
    const cacheKey = createHash('sha256').update(presented).digest('hex');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.principal;

    const record = await this.keys.findByKeyId(keyId);
    if (!record || record.revokedAt || !(await verifySecret(secret, record.secretHash))) return null;
    const principal: Principal = { apiKeyId: record.id, keyId, role: record.role };
    this.cache.set(cacheKey, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  /** Every key without its secret, for operators. */
  list(): Promise<ApiKeySummary[]> {
    return this.keys.list();
  }

  async revoke(keyId: string, at: Date): Promise<boolean> {
    this.cache.clear();
    return this.keys.revoke(keyId, at);
  }
}
