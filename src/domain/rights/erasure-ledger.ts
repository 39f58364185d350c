/** One erasure, as remembered outside the database. */
export interface ErasureLedgerEntry {
  readonly subjectId: string;
  /** ISO 8601. */
  readonly erasedAt: string;
  readonly reason: string;
}

/**
 * The erasure ledger: append-only, kept apart from the database and blob backups, so that restoring an older
 * backup cannot bring back a subject erased since; after a restore every entry is replayed (erasure is
 * idempotent). Storage keeps it as a file on its own volume (src/storage/erasure-ledger.ts).
 */
export interface ErasureLedger {
  /** Durable when it returns. */
  append(entry: ErasureLedgerEntry): void;
  /** Oldest first. */
  entries(): ErasureLedgerEntry[];
  has(subjectId: string): boolean;
}
