import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.js';

/** The hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

type Hashable = Omit<AuditEntry, 'seq' | 'hash' | 'prevHash'>;

/**
 * Each entry's hash covers the previous hash and every field of the entry, so changing, removing or
 * reordering any entry breaks every hash after it.
 */
export function chainHash(prevHash: string, entry: Hashable): string {
  const canonical = stable({
    id: entry.id,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    purpose: entry.purpose ?? null,
    subjectId: entry.subjectId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    details: entry.details ?? {},
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Result of checking the chain: intact, or the first entry that does not fit. */
export type ChainVerdict =
  | { readonly intact: true; readonly entries: number; readonly lastHash: string }
  | { readonly intact: false; readonly entries: number; readonly brokenAtSeq: number; readonly problem: string };

/** Verifies entries given in `seq` order, page by page, carrying state between pages. */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private count = 0;
  private broken: { seq: number; problem: string } | null = null;

  feed(entries: readonly AuditEntry[]): boolean {
    for (const entry of entries) {
      if (this.broken) return false;
      this.count += 1;
      if (entry.prevHash !== this.prev) {
        this.broken = { seq: entry.seq, problem: 'previous-hash link does not match the entry before (an entry was removed or reordered)' };
      } else if (chainHash(entry.prevHash, entry) !== entry.hash) {
        this.broken = { seq: entry.seq, problem: 'entry content does not match its hash (the entry was altered)' };
      }
      this.prev = entry.hash;
    }
    return !this.broken;
  }

  verdict(): ChainVerdict {
    return this.broken
      ? { intact: false, entries: this.count, brokenAtSeq: this.broken.seq, problem: this.broken.problem }
      : { intact: true, entries: this.count, lastHash: this.prev };
  }
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
