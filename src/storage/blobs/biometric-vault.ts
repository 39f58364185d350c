import { AppError } from '../../shared/errors.js';
import { DataKeyDestroyedError, type KeyRing } from '../crypto/key-ring.js';
import type { BiometricVault } from '../../domain/subjects/biometric-vault.js';
import type { BlobStore } from './blob-store.js';

/**
 * Images at rest: sealed with the subject's data key before they reach the blob store, so the
 * store (disk, backup, object storage) never holds a readable face.
 */
export class SealedBiometricVault implements BiometricVault {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly blobs: BlobStore,
  ) {}

  async putImage(subjectId: string, blobKey: string, bytes: Uint8Array): Promise<void> {
    await this.blobs.put(blobKey, await this.keyRing.sealFor(subjectId, bytes, `image:${blobKey}`));
  }

  /**
   * Null when the blob is gone (purged). Storage faults propagate as they are (worth a retry);
   * a blob that exists but cannot be opened is an UnreadableDataError (retrying cannot help).
   */
  async getImage(subjectId: string, blobKey: string): Promise<Buffer | null> {
    const sealed = await this.blobs.get(blobKey);
    if (!sealed) return null;
    try {
      return await this.keyRing.openFor(subjectId, sealed, `image:${blobKey}`);
    } catch (error) {
      if (error instanceof DataKeyDestroyedError) throw error;
      throw new UnreadableDataError({ cause: error });
    }
  }

  async deleteImage(blobKey: string): Promise<void> {
    await this.blobs.delete(blobKey);
  }

  async putEvidence(blobKey: string, bytes: Uint8Array): Promise<void> {
    await this.blobs.put(blobKey, await this.keyRing.sealEvidence(bytes, blobKey));
  }

  async getEvidence(blobKey: string): Promise<Buffer | null> {
    const sealed = await this.blobs.get(blobKey);
    return sealed ? this.keyRing.openEvidence(sealed, blobKey) : null;
  }

  sealEmbedding(subjectId: string, templateId: string, embedding: Float32Array): Promise<Buffer> {
    const bytes = new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength);
    return this.keyRing.sealFor(subjectId, bytes, `template:${templateId}`);
  }

  async openEmbedding(subjectId: string, templateId: string, sealed: Buffer): Promise<Float32Array> {
    const bytes = await this.keyRing.openFor(subjectId, sealed, `template:${templateId}`);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  sealRecord(subjectId: string, purpose: string, value: unknown): Promise<Buffer> {
    return this.keyRing.sealFor(subjectId, Buffer.from(JSON.stringify(value), 'utf8'), `record:${purpose}`);
  }

  /** A keyed hash of one field of a sealed record (e.g. a document number), to find equal values across subjects. */
  blindIndex(purpose: string, value: string): Promise<string> {
    return this.keyRing.keyedHash(`record:${purpose}`, value);
  }

  async openRecord<T>(subjectId: string, purpose: string, sealed: Buffer): Promise<T> {
    return JSON.parse((await this.keyRing.openFor(subjectId, sealed, `record:${purpose}`)).toString('utf8')) as T;
  }
}

/** Sealed data failed authentication: wrong key, tampering or corruption. */
export class UnreadableDataError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super('DATA_UNREADABLE', 'Stored data could not be decrypted.', 500, undefined, options);
  }
}
