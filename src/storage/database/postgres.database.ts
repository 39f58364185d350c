import pg from 'pg';
import type { Database, Queryable } from './database.js';
import { transactionGuard } from './transaction-guard.js';

// int8 (count(*), sums) comes back as string by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export function createPostgresDatabase(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[] | undefined)).rows as T[];

  // The pool would hand a second connection to code inside a transaction: a deadlock once the pool is busy.
  const guard = transactionGuard('postgres');

  return {
    kind: 'postgres',
    query: async (sql, params) => {
      guard.assertOutside('query', sql);
      return run(pool, sql, params);
    },
    exec: async (sql) => {
      guard.assertOutside('exec', sql);
      await pool.query(sql);
    },
    async transaction(fn) {
      guard.assertOutside('transaction');
      const client = await pool.connect();
      // A checked-out client whose server goes away (a restart) emits 'error' on itself, not on the pool: unheard,
      // it would end the process. The query in flight rejects anyway; the broken client is discarded, not reused.
      let broken = false;
      const onError = () => { broken = true; };
      client.on('error', onError);
      const tx: Queryable = {
        query: (sql, params) => run(client, sql, params),
        exec: async (sql) => void (await client.query(sql)),
      };
      try {
        await client.query('BEGIN');
        const result = await guard.inside(() => fn(tx));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => { broken = true; });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      guard.assertOutside('ping');
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
