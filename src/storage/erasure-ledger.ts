import { appendFileSync, existsSync, mkdirSync, openSync, closeSync, fsyncSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One erasure, as remembered outside the database. */
export interface LedgerEntry {
  readonly subjectId: string;
  readonly erasedAt: string;
  readonly reason: string;
}

/**
 * The erasure ledger: an append-only file kept apart from the database and blob backups, so that
 * restoring an older backup cannot bring back a subject erased since. After a restore, every entry is
 * replayed (erasure is idempotent). Deployments keep this file on its own volume and back it up on its
 * own, never restoring an older copy over a newer one.
 */
export class ErasureLedger {
  constructor(private readonly file: string) {}

  append(entry: LedgerEntry): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LedgerEntry);
  }

  has(subjectId: string): boolean {
    return this.entries().some((e) => e.subjectId === subjectId);
  }
}
