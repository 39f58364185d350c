/** Where sealed (already encrypted) payloads live. Filesystem today; an S3-compatible store later. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Null when the blob does not exist (purged, or never written). */
  get(key: string): Promise<Buffer | null>;
  /** Idempotent: deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}
