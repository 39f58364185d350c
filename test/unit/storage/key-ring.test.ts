import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../../src/storage/crypto/key-ring.js';
import type { SubjectKeyRepository } from '../../../src/storage/repositories/subject-key.repository.js';
import type { SystemKeyRepository } from '../../../src/storage/repositories/system-key.repository.js';

/** System keys in memory, as the repository stores them (wrapped). */
function memorySystemKeys() {
  const keys = new Map<string, Buffer>();
  return {
    keys,
    repo: {
      find: async (name: string) => keys.get(name) ?? null,
      insertIfAbsent: async (name: string, wrapped: Buffer) => {
        if (!keys.has(name)) keys.set(name, wrapped);
        return keys.get(name)!;
      },
    } as unknown as SystemKeyRepository,
  };
}

describe('keyed hashes (blind index of document numbers)', () => {
  const subjectKeys = {} as SubjectKeyRepository;

  it('gives equal hashes for equal values under one office key, different ones per purpose and per key', async () => {
    const store = memorySystemKeys();
    const master = randomBytes(32);
    const ring = new KeyRing(master, subjectKeys, store.repo);
    const a = await ring.keyedHash('record:document-number', 'A1234567');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await ring.keyedHash('record:document-number', 'A1234567')).toBe(a);
    // Another process over the same database finds the same hash.
    expect(await new KeyRing(master, subjectKeys, store.repo).keyedHash('record:document-number', 'A1234567')).toBe(a);
    expect(await ring.keyedHash('record:document-number', 'A1234568')).not.toBe(a);
    expect(await ring.keyedHash('record:document-issuer', 'A1234567')).not.toBe(a);
    // Another office (another key) cannot match, nor can anyone who only has the database rows.
    expect(await new KeyRing(randomBytes(32), subjectKeys, memorySystemKeys().repo).keyedHash('record:document-number', 'A1234567')).not.toBe(a);
    expect([...store.keys.keys()].sort()).toEqual(['hmac:record:document-issuer', 'hmac:record:document-number']);
  });
});
