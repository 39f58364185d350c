/**
 * Campaign scale check: seeds N synthetic subjects (identity rows only: an id and a pension number, no
 * face, no passport) in a throw-away database, then creates and starts a campaign over all of them and
 * measures the invitation fan-out through the real BullMQ worker, the progress query, the close
 * (everyone overdue) and the streamed CSV export, with this process's peak RSS and Redis memory.
 *
 *   npx tsx scripts/campaign-scale.ts --subjects 1000000 [--page 2000] [--max-queued 100000] [--deliver-seconds 30]
 *
 * Needs DATABASE_URL_TEST / REDIS_URL_TEST like the integration tests; drops its database at the end.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { composeService } from '../src/bootstrap/service.js';
import { createRedis } from '../src/queue/connection.js';
import { createLogger } from '../src/shared/logger.js';
import { migrateUp } from '../src/storage/database/migrator.js';
import { migrations } from '../src/storage/migrations/index.js';
import { reverificationCampaigns } from '../src/storage/migrations/005-campaigns.js';
import { createCampaignWorker } from '../workers/campaign.worker.js';
import { createWebhookWorker } from '../workers/campaign-webhook.worker.js';
import { createCampaignModule } from '../src/bootstrap/modules/campaign.module.js';
import { MutableClock } from '../test/support/mutable-clock.js';
import { createTestEnvironment } from '../test/support/services.js';

const { values } = parseArgs({
  options: {
    subjects: { type: 'string', default: '100000' },
    page: { type: 'string', default: '2000' },
    'max-queued': { type: 'string', default: '100000' },
    'deliver-seconds': { type: 'string', default: '0' },
  },
});
const N = Number(values.subjects);
const PAGE = Number(values.page);
const MAX_QUEUED = Number(values['max-queued']);
const DELIVER_SECONDS = Number(values['deliver-seconds']);
const SEED_BATCH = 10_000;
const OPERATOR = { type: 'staff', id: 'scale-script', role: 'operator' } as const;

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Samples RSS every 100 ms: the peak of a phase, not only of the whole process. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  return { stop: () => { clearInterval(timer); return Math.max(peak, process.memoryUsage().rss); } };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number }> {
  const sampler = rssSampler();
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start, peakRss: sampler.stop() };
}

async function main() {
  log(`campaign scale check: ${N.toLocaleString('en')} subjects, page ${PAGE}, at most ${MAX_QUEUED.toLocaleString('en')} webhook jobs in Redis`);
  const env = await createTestEnvironment({ LOG_LEVEL: 'warn' });
  const clock = new MutableClock(new Date());
  const logger = createLogger('warn');
  const svc = await composeService(env.config, logger, env.config.redisUrl, clock);
  await migrateUp(svc.platform.db, [...migrations, reverificationCampaigns]);
  let delivered = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => { delivered += 1; res.writeHead(204).end(); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const mod = createCampaignModule(svc.platform, {
    settings: {
      notifyUrl: `${url}/notify`, paymentUrl: null, secret: 'scale-check-secret-0123456789abcdef',
      webhookAttempts: 3, webhookBackoffMs: 1000, webhookTimeoutMs: 5000, webhookConcurrency: 32,
      pageSize: PAGE, tickMs: 3_600_000, maxQueuedDeliveries: MAX_QUEUED, jobLockMs: 30_000,
    },
  });
  const results: Record<string, string | number> = { subjects: N, page: PAGE };
  try {
    const seed = await timed(async () => {
      for (let done = 0; done < N; done += SEED_BATCH) {
        const n = Math.min(SEED_BATCH, N - done);
        const ids = Array.from({ length: n }, () => randomUUID());
        const refs = Array.from({ length: n }, (_, i) => `PN-${String(done + i).padStart(8, '0')}`);
        await svc.platform.db.query(
          `INSERT INTO subjects (id, external_ref, created_at, updated_at) SELECT id, ref, now(), now() FROM unnest($1::uuid[], $2::text[]) AS t(id, ref)`,
          [ids, refs]);
      }
      await svc.platform.db.exec('ANALYZE subjects');
    });
    results.seed_s = seconds(seed.ms);
    log(`seeded in ${seconds(seed.ms)} s`);

    results.rss_before_campaign_mib = mib(process.memoryUsage().rss);
    const preview = await timed(() => mod.services.campaigns.previewCohort({}));
    results.preview_ms = Math.round(preview.ms);
    const create = await timed(async () => {
      const c = await mod.services.campaigns.create({
        name: 'Scale check', cohort: {}, opensAt: clock.now(), dueAt: new Date(clock.now().getTime() + 30 * 86_400_000), graceDays: 5,
      }, OPERATOR);
      await mod.services.campaigns.start(c.id, OPERATOR);
      return c;
    });
    const campaign = create.value;
    results.create_and_start_ms = Math.round(create.ms);

    // The control worker only: the fan-out is measured without webhook sending competing for the two cores.
    const connection = createRedis(svc.platform.redisUrl, 'worker');
    const control = createCampaignWorker({
      connection, prefix: env.config.QUEUE_PREFIX, runner: mod.services.runner, ticker: mod.services.ticker,
      templates: mod.services.templates, lockMs: 30_000, logger,
      onStepPage: (p) => { if ((p.processed / PAGE) % 50 === 0) log(`  invited ${p.processed.toLocaleString('en')}`); },
    });
    const invite = await timed(async () => {
      for (;;) {
        const [s] = await svc.platform.db.query<{ done_at: Date | null }>(`SELECT done_at FROM campaign_steps WHERE campaign_id = $1 AND step = 'invite'`, [campaign.id]);
        if (s?.done_at) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    await control.close();
    results.invite_s = seconds(invite.ms);
    results.invite_per_s = Math.round(N / (invite.ms / 1000));
    results.invite_peak_rss_mib = mib(invite.peakRss);
    const [{ members }] = await svc.platform.db.query<{ members: number }>('SELECT count(*)::int AS members FROM campaign_subjects WHERE campaign_id = $1', [campaign.id]) as [{ members: number }];
    const [{ outbox }] = await svc.platform.db.query<{ outbox: number }>(
      `SELECT count(*)::int AS outbox FROM campaign_deliveries WHERE campaign_id = $1 AND enqueued_at IS NULL`, [campaign.id]) as [{ outbox: number }];
    results.members = members;
    results.webhook_jobs_in_redis = await mod.producer.backlog();
    results.messages_waiting_in_outbox = outbox;
    results.redis_used_mib = mib(Number(/used_memory:(\d+)/.exec(await svc.platform.redis.info('memory'))?.[1] ?? 0));
    log(`invited ${members.toLocaleString('en')} in ${results.invite_s} s`);

    const progress = await timed(() => mod.services.campaigns.progress(campaign.id));
    results.progress_ms = Math.round(progress.ms);

    if (DELIVER_SECONDS > 0) {
      const webhooks = createWebhookWorker({ connection, prefix: env.config.QUEUE_PREFIX, service: mod.services.deliveries, concurrency: 32, lockMs: 30_000, logger });
      const before = delivered;
      await new Promise((r) => setTimeout(r, DELIVER_SECONDS * 1000));
      await webhooks.close();
      results.webhooks_per_s = Math.round((delivered - before) / DELIVER_SECONDS);
    }

    clock.set(new Date(campaign.dueAt.getTime() + 6 * 86_400_000));
    const close = await timed(() => mod.services.runner.run(campaign.id, 'close'));
    results.close_s = seconds(close.ms);
    results.close_outcome = close.value;
    results.close_peak_rss_mib = mib(close.peakRss);

    let bytes = 0;
    const exported = await timed(async () => {
      for await (const chunk of mod.services.exporter.export((await mod.services.campaigns.get(campaign.id)), 'csv', OPERATOR)) bytes += chunk.length;
    });
    results.export_csv_s = seconds(exported.ms);
    results.export_csv_mib = mib(bytes);
    results.export_peak_rss_mib = mib(exported.peakRss);
    results.process_max_rss_mib = Math.round(process.resourceUsage().maxRSS / 1024);
    connection.disconnect();
  } finally {
    const keys = await svc.platform.redis.keys(`${env.config.QUEUE_PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 1000) await svc.platform.redis.del(...keys.slice(i, i + 1000));
    await mod.close();
    receiver.close();
    await svc.close();
    await env.cleanup();
  }
  console.log('\nresult');
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(28)} ${v}`);
  console.log(JSON.stringify(results));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
