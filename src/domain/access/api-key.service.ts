import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { newId } from '../../shared/ids.js';
import type { ApiKeyRepository } from '../../storage/repositories/api-key.repository.js';
import type { Role } from './roles.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
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
    await this.keys.insert({ id: newId(), keyId, secretHash: await hashSecret(secret), role, label });
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

  async revoke(keyId: string, at: Date): Promise<boolean> {
    this.cache.clear();
    return this.keys.revoke(keyId, at);
  }
}

async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}
