/**
 * Retention soak: 10,000 stored items with random terms over a compressed clock, the retention worker
 * restarted every few seconds, Redis jobs and the sweep racing each other. At the end: 0 items overdue,
 * 0 purged early. Needs PostgreSQL and Redis (DATABASE_URL_TEST / REDIS_URL_TEST, as the tests).
 *
 *   npx tsx scripts/retention-soak.ts [--items 10000] [--hours 24] [--factor 720]
 */
import { parseArgs } from 'node:util';
import { storageUnitOfWork } from '../src/storage/unit-of-work.js';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../src/domain/audit/audit.service.js';
import { PurgeService } from '../src/domain/retention/purge.service.js';
import { RetentionScheduler } from '../src/domain/retention/retention-scheduler.js';
import { createRedis } from '../src/queue/connection.js';
import { RetentionProducer } from '../src/queue/retention.producer.js';
import { scaledClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { createLogger } from '../src/shared/logger.js';
import { openBiometricVault } from '../src/storage/blobs/open-vault.js';
import { createPostgresDatabase } from '../src/storage/database/postgres.database.js';
import { migrateUp } from '../src/storage/database/migrator.js';
import { createRepositories } from '../src/storage/repositories/index.js';
import { createTestEnvironment } from '../test/support/services.js';
import { createRetentionWorker } from '../workers/retention.worker.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '10000' }, hours: { type: 'string', default: '24' }, factor: { type: 'string', default: '720' } } });
const ITEMS = Number(values.items);
const MAX_TERM_MS = Number(values.hours) * 3600_000;
const FACTOR = Number(values.factor);
const SUBJECTS = 100;

const env = await createTestEnvironment();
const db = createPostgresDatabase(env.databaseUrl);
const logger = createLogger('warn', 'soak');
const redis = createRedis(env.config.redisUrl, 'worker');
try {
  await migrateUp(db);
  const clock = scaledClock(new Date(), FACTOR);
  const repos = createRepositories(db);
  const { vault } = openBiometricVault(env.config, repos);
  const start = clock.now();

  // Subjects and one submission each, then items with random terms; a third carry a sealed blob.
  const subjects = Array.from({ length: SUBJECTS }, () => ({ id: newId(), submission: newId() }));
  for (const s of subjects) {
    await db.query(`INSERT INTO subjects (id, external_ref) VALUES ($1, $2)`, [s.id, `SOAK-${s.id.slice(0, 8)}`]);
    await db.query(`INSERT INTO submissions (id, subject_id, kind, status, decision, completed_at) VALUES ($1,$2,'verification','completed','verified',$3)`, [s.submission, s.id, start]);
  }
  const rows: { id: string; subject: string; submission: string; cls: string; blob: string | null; deleteAt: Date }[] = [];
  for (let i = 0; i < ITEMS; i += 1) {
    const s = subjects[i % SUBJECTS]!;
    const withBlob = i % 3 === 0;
    const id = newId();
    rows.push({ id, subject: s.id, submission: s.submission, cls: withBlob ? 'selfie_image' : 'result', blob: withBlob ? id : null,
      deleteAt: new Date(start.getTime() + Math.random() * MAX_TERM_MS) });
  }
  for (const r of rows.filter((x) => x.blob)) await vault.putImage(r.subject, r.blob!, randomBytes(64));
  for (let i = 0; i < rows.length; i += 1000) {
    const page = rows.slice(i, i + 1000);
    await db.query(
      `INSERT INTO stored_items (id, subject_id, submission_id, item_class, blob_key, policy, delete_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
      [page.map((r) => r.id), page.map((r) => r.subject), page.map((r) => r.submission), page.map((r) => r.cls),
        page.map((r) => r.blob), page.map(() => 'soak'), page.map((r) => r.deleteAt)],
    );
  }

  const producer = new RetentionProducer(redis, env.config.QUEUE_PREFIX);
  const uow = storageUnitOfWork(db);
  const scheduler = new RetentionScheduler({ uow, queue: producer, clock });
  const audit = new AuditService({ uow, clock });
  const purge = new PurgeService({ uow, vault, audit, clock });
  const t0 = Date.now();
  for (const s of subjects) await scheduler.scheduleSubject(s.id);
  console.log(`seeded ${ITEMS} items over ${SUBJECTS} subjects, jobs scheduled in ${Date.now() - t0} ms; clock x${FACTOR}, terms up to ${values.hours} h`);
  await producer.ensureSweep(5000);

  let worker = createRetentionWorker({ connection: redis, prefix: env.config.QUEUE_PREFIX, purge, logger });
  let restarts = 0;
  const realEnd = Date.now() + MAX_TERM_MS / FACTOR + 8000;
  while (Date.now() < realEnd) {
    await new Promise((r) => setTimeout(r, 4000 + Math.random() * 4000));
    await worker.close(true); // force: an abrupt stop, in-flight jobs are left for the next worker
    worker = createRetentionWorker({ connection: redis, prefix: env.config.QUEUE_PREFIX, purge, logger });
    restarts += 1;
    const [p] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stored_items WHERE deleted_at IS NOT NULL');
    process.stdout.write(`\r${p!.n}/${ITEMS} purged, ${restarts} worker restarts   `);
  }
  await new Promise((r) => setTimeout(r, 6000));
  await worker.close();
  await producer.close();

  const now = clock.now();
  const [overdue] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stored_items WHERE deleted_at IS NULL AND delete_at <= $1', [now]);
  const [early] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stored_items WHERE deleted_at < delete_at');
  const [lag] = await db.query<{ p50: number; p99: number; max: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM deleted_at - delete_at)) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM deleted_at - delete_at)) AS p99,
            max(extract(epoch FROM deleted_at - delete_at)) AS max FROM stored_items WHERE deleted_at IS NOT NULL`);
  const [purged] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stored_items WHERE deleted_at IS NOT NULL');
  console.log(`\npurge lag after delete_at (simulated seconds): median ${Math.round(lag!.p50)}, p99 ${Math.round(lag!.p99)}, max ${Math.round(lag!.max)}`);
  console.log(`items=${ITEMS} purged=${purged!.n} overdue=${overdue!.n} purged_early=${early!.n} worker_restarts=${restarts}`);
  process.exitCode = overdue!.n === 0 && early!.n === 0 ? 0 : 1;
} finally {
  redis.disconnect();
  await db.close();
  await env.cleanup();
}
