import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/storage/database/database.js';
import { createPgliteDatabase } from '../../../src/storage/database/pglite.database.js';
import { OuterHandleInTransactionError, transactionGuard } from '../../../src/storage/database/transaction-guard.js';

// Code inside a transaction that reaches the outer handle froze the embedded database for good (issue: one request
// freezing the service). The handle now refuses such a call at once, with an error naming the mistake.
describe('transaction guard', () => {
  it('throws inside the callback, not outside it, and not for another handle', async () => {
    const a = transactionGuard('pglite');
    const b = transactionGuard('pglite');
    expect(() => a.assertOutside('query')).not.toThrow();
    await a.inside(async () => {
      await Promise.resolve();
      expect(() => a.assertOutside('query', 'SELECT  1\n FROM t')).toThrow(OuterHandleInTransactionError);
      expect(() => a.assertOutside('query', 'SELECT 1 FROM t')).toThrow(/outer pglite handle.*SELECT 1 FROM t/);
      expect(() => b.assertOutside('query')).not.toThrow();
    });
    expect(() => a.assertOutside('query')).not.toThrow();
  });

  it('lets a timer started inside a transaction use the handle once the transaction has ended', async () => {
    const guard = transactionGuard('postgres');
    let later: Promise<void> = Promise.resolve();
    await guard.inside(async () => {
      later = new Promise<void>((resolve, reject) => setTimeout(() => {
        try {
          guard.assertOutside('query');
          resolve();
        } catch (error) {
          reject(error as Error);
        }
      }, 10));
    });
    await expect(later).resolves.toBeUndefined();
  });

  describe('on the embedded database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zinda-guard-'));
    let db: Database;
    beforeAll(async () => {
      db = await createPgliteDatabase(dir);
      await db.exec('CREATE TABLE t (n integer)');
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses the outer handle inside a transaction at once and rolls the transaction back', async () => {
      const outcome = db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        return db.query('SELECT count(*) AS n FROM t');
      });
      await expect(outcome).rejects.toThrow(OuterHandleInTransactionError);
      await expect(db.transaction(async () => db.exec('DELETE FROM t'))).rejects.toThrow(/exec on the outer pglite handle/);
      await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(/transaction on the outer pglite handle/);
      await expect(db.transaction(async () => db.ping())).rejects.toThrow(OuterHandleInTransactionError);
      expect(await db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    });

    it('still serves other callers while a transaction is open (they wait for it, as before)', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      const tx = db.transaction(async (t) => {
        await t.query('INSERT INTO t VALUES (2)');
        await held;
      });
      const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
      release();
      await tx;
      expect(await outside).toEqual([{ n: 1 }]);
      await db.exec('DELETE FROM t');
    });
  });
});
