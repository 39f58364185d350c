import { appendFileSync, existsSync, mkdirSync, openSync, closeSync, fsyncSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErasureLedger, ErasureLedgerEntry } from '../domain/rights/erasure-ledger.js';

/**
 * The erasure ledger as an append-only file of JSON lines, fsynced per entry. Deployments keep this file on its
 * own volume and back it up on its own, never restoring an older copy over a newer one.
 */
export class FileErasureLedger implements ErasureLedger {
  constructor(private readonly file: string) {}

  append(entry: ErasureLedgerEntry): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  entries(): ErasureLedgerEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ErasureLedgerEntry);
  }

  has(subjectId: string): boolean {
    return this.entries().some((e) => e.subjectId === subjectId);
  }
}
