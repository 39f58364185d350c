import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { SubjectKeyRepository } from '../repositories/subject-key.repository.js';
import type { SystemKeyRepository } from '../repositories/system-key.repository.js';
import { open, seal } from './aes-gcm.js';

/** The subject's data key was destroyed (erasure): its biometric data can no longer be read. */
export class DataKeyDestroyedError extends AppError {
  constructor() {
    super('SUBJECT_DATA_DESTROYED', 'The biometric data of this subject has been destroyed.', 410);
  }
}

const EVIDENCE_KEY = 'evidence';
const HMAC_KEY_PREFIX = 'hmac:';
export const subjectKeyAad = (subjectId: string) => `dek:${subjectId}`;
export const systemKeyAad = (name: string) => `sys:${name}`;

/**
 * Envelope encryption: random data keys, wrapped by the master key. Each subject has one (destroying
 * it crypto-shreds every copy of their data); the office has one for consent evidence, which must
 * outlive a subject's erasure. Callers seal and open payloads without ever seeing a key.
 */
export class KeyRing {
  constructor(
    private readonly masterKey: Buffer,
    private readonly keys: SubjectKeyRepository,
    private readonly systemKeys: SystemKeyRepository,
  ) {}

  async sealEvidence(plaintext: Uint8Array, purpose: string): Promise<Buffer> {
    return seal(await this.systemKey(EVIDENCE_KEY), plaintext, `evidence:${purpose}`);
  }

  async openEvidence(sealed: Uint8Array, purpose: string): Promise<Buffer> {
    return open(await this.systemKey(EVIDENCE_KEY), sealed, `evidence:${purpose}`);
  }

  /**
   * HMAC-SHA256 (hex) of `value` under the office key of `purpose`: equal values give equal hashes, so a value can
   * be found again without being stored; without the key, the small space of e.g. document numbers cannot be
   * enumerated. The key is a system key (wrapped by the master key, re-wrapped on rotation, never rotated itself:
   * that would orphan every stored hash) and outlives subjects' erasure; the hashes themselves are erased with them.
   */
  async keyedHash(purpose: string, value: string): Promise<string> {
    return createHmac('sha256', await this.systemKey(`${HMAC_KEY_PREFIX}${purpose}`)).update(value, 'utf8').digest('hex');
  }

  async sealFor(subjectId: string, plaintext: Uint8Array, purpose: string): Promise<Buffer> {
    const key = await this.dataKey(subjectId, true);
    return seal(key, plaintext, `${subjectId}:${purpose}`);
  }

  async openFor(subjectId: string, sealed: Uint8Array, purpose: string): Promise<Buffer> {
    const key = await this.dataKey(subjectId, false);
    return open(key, sealed, `${subjectId}:${purpose}`);
  }

  private async systemKey(name: string): Promise<Buffer> {
    let wrapped = await this.systemKeys.find(name);
    wrapped ??= await this.systemKeys.insertIfAbsent(name, seal(this.masterKey, randomBytes(32), systemKeyAad(name)));
    return open(this.masterKey, wrapped, systemKeyAad(name));
  }

  private async dataKey(subjectId: string, create: boolean): Promise<Buffer> {
    const found = await this.keys.find(subjectId);
    if (found?.destroyedAt || (found && !found.wrappedKey)) throw new DataKeyDestroyedError();
    let wrapped = found?.wrappedKey ?? null;
    if (!wrapped) {
      if (!create) throw new DataKeyDestroyedError();
      wrapped = await this.keys.insertIfAbsent(subjectId, seal(this.masterKey, randomBytes(32), subjectKeyAad(subjectId)));
      if (!wrapped) throw new DataKeyDestroyedError();
    }
    return open(this.masterKey, wrapped, subjectKeyAad(subjectId));
  }
}
