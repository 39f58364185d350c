import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './database.js';

/**
 * Code inside a transaction reached the database through the outer handle instead of the transaction's scope.
 * Always a bug: PGlite has one connection, so the outer query waits for the transaction that waits for it (the
 * whole service freezes); on PostgreSQL it holds one pooled connection while asking for another, which deadlocks
 * once the pool is busy and reads outside the transaction's snapshot and locks meanwhile.
 */
export class OuterHandleInTransactionError extends Error {
  constructor(kind: string, operation: string, sql?: string) {
    super(`${operation} on the outer ${kind} handle from inside one of its own transactions: use the transaction's scope `
      + `(the tx passed to the callback) for everything the transaction does${sql ? ` (SQL: ${sql.replace(/\s+/g, ' ').trim().slice(0, 80)})` : ''}`);
    this.name = 'OuterHandleInTransactionError';
  }
}

/** Tracks, per database handle, whether the caller runs inside one of that handle's transaction callbacks. */
export interface TransactionGuard {
  /** Throws OuterHandleInTransactionError when called from inside an open transaction callback of this handle. */
  assertOutside(operation: string, sql?: string): void;
  /** Runs a transaction's callback marked as inside; the mark ends with the transaction, not with its async context. */
  inside<T>(fn: () => Promise<T>): Promise<T>;
}

export function transactionGuard(kind: string): TransactionGuard {
  const scope = new AsyncLocalStorage<{ open: boolean }>();
  return {
    assertOutside(operation, sql) {
      if (scope.getStore()?.open) throw new OuterHandleInTransactionError(kind, operation, sql);
    },
    async inside(fn) {
      // A timer or listener created inside the callback keeps the context after the commit; the flag lets it use the handle then.
      const mark = { open: true };
      try {
        return await scope.run(mark, fn);
      } finally {
        mark.open = false;
      }
    },
  };
}

/**
 * The same handle, every outer use checked against the caller's open transaction of this handle: both adapters get
 * the rule here rather than each wrapping its own methods.
 */
export function guardDatabase(db: Database): Database {
  const guard = transactionGuard(db.kind);
  return {
    kind: db.kind,
    async query<T>(sql: string, params?: readonly unknown[]) {
      guard.assertOutside('query', sql);
      return db.query<T>(sql, params);
    },
    async exec(sql) {
      guard.assertOutside('exec', sql);
      return db.exec(sql);
    },
    async transaction(fn) {
      guard.assertOutside('transaction');
      return db.transaction((tx) => guard.inside(() => fn(tx)));
    },
    async ping() {
      guard.assertOutside('ping');
      return db.ping();
    },
    close: () => db.close(),
  };
}
