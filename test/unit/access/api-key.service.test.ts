import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiKeyService, KeyThrottledError, type KeyFailureCounter } from '../../../src/domain/access/api-key.service.js';
import * as secretHash from '../../../src/shared/secret-hash.js';
import type { ApiKeyRecord, ApiKeyRepository } from '../../../src/domain/access/access-ports.js';
import { inMemoryUnitOfWork } from '../../support/in-memory/unit-of-work.js';

// Count the memory-hard hashes each attempt costs.
vi.mock('../../../src/shared/secret-hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/shared/secret-hash.js')>();
  return { ...real, verifySecret: vi.fn(real.verifySecret) };
});
const verifications = () => vi.mocked(secretHash.verifySecret).mock.calls.length;

function memoryKeys(): ApiKeyRepository {
  const rows = new Map<string, ApiKeyRecord>();
  return {
    insert: async (k: Omit<ApiKeyRecord, 'revokedAt'>) => void rows.set(k.keyId, { ...k, revokedAt: null }),
    findByKeyId: async (keyId: string) => rows.get(keyId) ?? null,
    revoke: async (keyId: string, at: Date) => {
      const row = rows.get(keyId);
      if (row) rows.set(keyId, { ...row, revokedAt: at });
      return !!row;
    },
  } as unknown as ApiKeyRepository;
}

function memoryCounter(): KeyFailureCounter {
  const counts = new Map<string, number>();
  return {
    failures: async (name) => ({ count: counts.get(name) ?? 0, resetMs: 600_000 }),
    fail: async (name) => void counts.set(name, (counts.get(name) ?? 0) + 1),
  };
}

const wrongSecret = (key: string) => key.slice(0, -6) + 'AAAAAA';
const unknownId = (key: string) => key.replace(/^znd_[0-9a-f]{16}/, 'znd_0123456789abcdef');

let service: ApiKeyService;
let key: string;
beforeEach(async () => {
  vi.mocked(secretHash.verifySecret).mockClear();
  service = new ApiKeyService({ uow: inMemoryUnitOfWork({ apiKeys: memoryKeys() }), limit: { counter: memoryCounter(), maxFailures: 3 } });
  key = (await service.create('mobile-client', 'app')).key;
});

describe('key ids are no timing oracle', () => {
  it('costs one scrypt for a wrong secret, an unknown key id and a revoked key alike', async () => {
    expect(await service.authenticate(wrongSecret(key), 'a')).toBeNull();
    expect(verifications()).toBe(1);
    expect(await service.authenticate(unknownId(key), 'a')).toBeNull();
    expect(verifications()).toBe(2);
    const revoked = await service.create('operator', 'old');
    await service.revoke(revoked.keyId, new Date());
    expect(await service.authenticate(revoked.key, 'a')).toBeNull();
    expect(verifications()).toBe(3);
  });

  it('still lets the right key in, and answers it from the cache afterwards', async () => {
    expect(await service.authenticate(key, 'a')).toMatchObject({ role: 'mobile-client' });
    expect(await service.authenticate(key, 'a')).toMatchObject({ role: 'mobile-client' });
    expect(verifications()).toBe(1);
  });
});

describe('failures per key id and source', () => {
  it('refuses a source past the limit without hashing, even with the right secret; other sources keep the key', async () => {
    for (let i = 0; i < 3; i += 1) expect(await service.authenticate(wrongSecret(key), 'stranger')).toBeNull();
    const before = verifications();
    await expect(service.authenticate(wrongSecret(key), 'stranger')).rejects.toBeInstanceOf(KeyThrottledError);
    await expect(service.authenticate(key, 'stranger')).rejects.toMatchObject({ code: 'AUTH_THROTTLED', status: 429, retryAfterSeconds: 600 });
    expect(verifications()).toBe(before);
    // The stranger cannot lock the office's key out for everyone else.
    expect(await service.authenticate(key, 'office')).toMatchObject({ role: 'mobile-client' });
  });

  it('lets a key verified moments ago through from a locked-out address (the cache comes first)', async () => {
    expect(await service.authenticate(key, 'shared-nat')).not.toBeNull();
    for (let i = 0; i < 3; i += 1) expect(await service.authenticate(wrongSecret(key), 'shared-nat')).toBeNull();
    expect(await service.authenticate(key, 'shared-nat')).toMatchObject({ role: 'mobile-client' });
  });

  it('treats an unknown key id exactly like a known one, so the limit tells nothing either', async () => {
    for (let i = 0; i < 3; i += 1) expect(await service.authenticate(unknownId(key), 'stranger')).toBeNull();
    await expect(service.authenticate(unknownId(key), 'stranger')).rejects.toBeInstanceOf(KeyThrottledError);
  });
});
