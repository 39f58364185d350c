import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../../src/storage/crypto/aes-gcm.js';

describe('sealing at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const data = Buffer.from('a face, in bytes');

  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(key, data, 'subject-1:image:x');
    expect(sealed.includes(data)).toBe(false);
    expect(open(key, sealed, 'subject-1:image:x')).toEqual(data);
  });

  it('refuses another key, another owner (AAD) or one flipped byte', () => {
    const sealed = seal(key, data, 'subject-1:image:x');
    expect(() => open(randomBytes(32), sealed, 'subject-1:image:x')).toThrow();
    expect(() => open(key, sealed, 'subject-2:image:x')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => open(key, tampered, 'subject-1:image:x')).toThrow();
  });
});
