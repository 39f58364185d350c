import pg from 'pg';
import type { Database, Queryable } from './database.js';
import { guardDatabase } from './transaction-guard.js';

// int8 (count(*), sums) comes back as string by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export function createPostgresDatabase(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[] | undefined)).rows as T[];

  // The pool would hand a second connection to code inside a transaction: a deadlock once the pool is busy.
  return guardDatabase({
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
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
        const result = await fn(tx);
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
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  });
}
