/**
 * Sealed storage of a subject's biometric data: face images, embeddings and records are encrypted with the
 * subject's own data key (destroying the key erases them everywhere, backups included); consent evidence with a
 * system key, since it outlives the subject's biometrics. Storage implements it (src/storage/blobs).
 */
export interface BiometricVault {
  putImage(subjectId: string, blobKey: string, bytes: Uint8Array): Promise<void>;
  /** Null when the image is gone (purged); throws DATA_UNREADABLE when it exists but cannot be opened. */
  getImage(subjectId: string, blobKey: string): Promise<Buffer | null>;
  deleteImage(blobKey: string): Promise<void>;
  putEvidence(blobKey: string, bytes: Uint8Array): Promise<void>;
  getEvidence(blobKey: string): Promise<Buffer | null>;
  sealEmbedding(subjectId: string, templateId: string, embedding: Float32Array): Promise<Buffer>;
  openEmbedding(subjectId: string, templateId: string, sealed: Buffer): Promise<Float32Array>;
  sealRecord(subjectId: string, purpose: string, value: unknown): Promise<Buffer>;
  openRecord<T>(subjectId: string, purpose: string, sealed: Buffer): Promise<T>;
  /** A keyed hash of one field of a sealed record (e.g. a document number), to find equal values across subjects. */
  blindIndex(purpose: string, value: string): Promise<string>;
}
