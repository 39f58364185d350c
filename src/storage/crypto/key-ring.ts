import { hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { SubjectKeyRepository } from '../repositories/subject-key.repository.js';
import { open, seal } from './aes-gcm.js';

/** The subject's data key was destroyed (erasure): its biometric data can no longer be read. */
export class DataKeyDestroyedError extends AppError {
  constructor() {
    super('SUBJECT_DATA_DESTROYED', 'The biometric data of this subject has been destroyed.', 410);
  }
}

/**
 * Envelope encryption: per-subject data keys, wrapped by the master key. Callers seal and open
 * payloads for a subject without ever seeing a key.
 */
export class KeyRing {
  constructor(
    private readonly masterKey: Buffer,
    private readonly keys: SubjectKeyRepository,
  ) {}

  /**
   * Office evidence (signed consent forms) is sealed with a key derived from the master key, not with
   * the subject's data key: erasing a subject's biometrics must not destroy the proof of their consent.
   */
  sealEvidence(plaintext: Uint8Array, purpose: string): Buffer {
    return seal(this.evidenceKey(), plaintext, `evidence:${purpose}`);
  }

  openEvidence(sealed: Uint8Array, purpose: string): Buffer {
    return open(this.evidenceKey(), sealed, `evidence:${purpose}`);
  }

  async sealFor(subjectId: string, plaintext: Uint8Array, purpose: string): Promise<Buffer> {
    const key = await this.dataKey(subjectId, true);
    return seal(key, plaintext, `${subjectId}:${purpose}`);
  }

  async openFor(subjectId: string, sealed: Uint8Array, purpose: string): Promise<Buffer> {
    const key = await this.dataKey(subjectId, false);
    return open(key, sealed, `${subjectId}:${purpose}`);
  }

  private evidenceKey(): Buffer {
    return Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.alloc(0), 'zinda-evidence-v1', 32));
  }

  private async dataKey(subjectId: string, create: boolean): Promise<Buffer> {
    const found = await this.keys.find(subjectId);
    if (found?.destroyedAt || (found && !found.wrappedKey)) throw new DataKeyDestroyedError();
    let wrapped = found?.wrappedKey ?? null;
    if (!wrapped) {
      if (!create) throw new DataKeyDestroyedError();
      wrapped = await this.keys.insertIfAbsent(subjectId, seal(this.masterKey, randomBytes(32), `dek:${subjectId}`));
      if (!wrapped) throw new DataKeyDestroyedError();
    }
    return open(this.masterKey, wrapped, `dek:${subjectId}`);
  }
}
