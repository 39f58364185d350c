import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeService, type Service } from '../../src/bootstrap/service.js';
import { migrateUp } from '../../src/storage/database/migrator.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { reverificationCampaigns } from '../../src/storage/migrations/005-campaigns.js';
import { createLogger } from '../../src/shared/logger.js';
import type { CampaignSettings } from '../../src/domain/campaigns/campaign-settings.js';
import { createCampaignModule, type CampaignModule } from '../../src/bootstrap/modules/campaign.module.js';
import { MutableClock } from '../support/mutable-clock.js';
import { createTestEnvironment, type TestEnvironment } from '../support/services.js';

// Fan-out at a few thousand subjects in small pages: a worker killed mid fan-out, Redis losing every
// job, the same step run twice at once, pause and cancel. Everyone is invited, and messaged, exactly once.
const SECRET = 'fanout-test-secret-0123456789abcdef';
const OPERATOR = { type: 'api-key', id: 'test-operator', role: 'operator' } as const;
const BULK = 3000;

interface Message { id: string; type: string; campaign: { id: string }; subject: { pensionNumber: string } }

/** A notification gateway on 127.0.0.1 that accepts only correctly signed messages. */
async function startReceiver() {
  const messages: Message[] = [];
  let badSignatures = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-zinda-signature']));
      const mac = m ? createHmac('sha256', SECRET).update(`${m[1]}.${raw}`).digest() : null;
      if (!m || !mac || !timingSafeEqual(mac, Buffer.from(m[2]!, 'hex')) || Math.abs(Date.now() / 1000 - Number(m[1])) > 300) {
        badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      messages.push(JSON.parse(raw) as Message);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages, bad: () => badSignatures,
    forCampaign: (id: string) => messages.filter((m) => m.campaign.id === id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let env: TestEnvironment;
let svc: Service;
let mod: CampaignModule;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const clock = new MutableClock(new Date());
const running: { close(): Promise<void> }[] = [];

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = async (sql: string, params: unknown[]) => (await svc.platform.db.query<{ n: number }>(sql, params))[0]!.n;
const members = (campaignId: string) => count('SELECT count(*)::int AS n FROM campaign_subjects WHERE campaign_id = $1', [campaignId]);
const invitations = (campaignId: string) =>
  count(`SELECT count(*)::int AS n FROM campaign_deliveries WHERE campaign_id = $1 AND kind = 'invitation'`, [campaignId]);
const step = async (campaignId: string) =>
  (await svc.platform.db.query<{ processed: number; done_at: Date | null; cursor: string | null }>(
    `SELECT processed, done_at, cursor FROM campaign_steps WHERE campaign_id = $1 AND step = 'invite'`, [campaignId]))[0]!;

async function newCampaign(region: string, name: string) {
  return mod.services.campaigns.create({
    name, cohort: { regions: [region] }, opensAt: clock.now(), dueAt: new Date(clock.now().getTime() + 30 * 86_400_000), graceDays: 5,
  }, OPERATOR);
}

function expectEachOnce(messages: Message[], n: number) {
  expect(messages).toHaveLength(n);
  expect(new Set(messages.map((m) => m.id)).size).toBe(n);
  expect(new Set(messages.map((m) => m.subject.pensionNumber)).size).toBe(n);
}

async function seed(prefix: string, n: number, region: string) {
  const ids = Array.from({ length: n }, () => randomUUID());
  await svc.platform.db.query(
    `INSERT INTO subjects (id, external_ref, created_at, updated_at) SELECT id, ref, now(), now() FROM unnest($1::uuid[], $2::text[]) AS t(id, ref)`,
    [ids, ids.map((_, i) => `${prefix}${String(i).padStart(5, '0')}`)]);
  await svc.platform.db.query(
    `INSERT INTO subject_attributes (subject_id, region, updated_at, updated_by) SELECT id, $2, now(), 'seed' FROM unnest($1::uuid[]) AS id`,
    [ids, region]);
}

beforeAll(async () => {
  receiver = await startReceiver();
  const settings: CampaignSettings = {
    notifyUrl: `${receiver.url}/notify`, paymentUrl: `${receiver.url}/payment`, secret: SECRET,
    webhookAttempts: 3, webhookBackoffMs: 50, webhookTimeoutMs: 5000, webhookConcurrency: 16,
    pageSize: 100, tickMs: 3_600_000, maxQueuedDeliveries: 100_000, jobLockMs: 1500,
  };
  // The same settings as configuration, for when src/bootstrap wires campaigns into the svc from the environment.
  env = await createTestEnvironment({
    NOTIFY_WEBHOOK_URL: settings.notifyUrl!, PAYMENT_WEBHOOK_URL: settings.paymentUrl!, WEBHOOK_SECRET: SECRET, WEBHOOK_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '50', WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_CONCURRENCY: '16', CAMPAIGN_PAGE_SIZE: '100',
    CAMPAIGN_TICK_SECONDS: '3600', CAMPAIGN_MAX_QUEUED_DELIVERIES: '100000', JOB_LOCK_MS: '1500',
  });
  svc = await composeService(env.config, createLogger('silent'), env.config.redisUrl, clock);
  await migrateUp(svc.platform.db, [...migrations, reverificationCampaigns]);
  mod = (svc as unknown as { campaigns?: CampaignModule }).campaigns ?? createCampaignModule(svc.platform, { settings });
  await seed('PN-F', BULK, 'bulk');
  await seed('PN-S', 50, 'small');
});

afterAll(async () => {
  for (const w of running) await w.close().catch(() => undefined);
  await mod?.close();
  await receiver?.close();
  await svc?.close();
  await env?.cleanup();
});

describe('a worker killed mid fan-out', () => {
  let campaignId: string;

  it('is replaced by one that resumes after the last committed page; everyone is invited once', async () => {
    const campaign = await newCampaign('bulk', 'Killed mid fan-out');
    campaignId = campaign.id;
    let killed: Promise<void> | null = null;
    const first = await mod.startWorkers({
      onStepPage: (p) => {
        if (p.campaignId !== campaign.id || p.processed < 500 || killed) return;
        killed = first.kill();
        return new Promise<void>(() => undefined); // the process is gone: this run never goes on
      },
    });
    await mod.services.campaigns.start(campaign.id, OPERATOR);
    await until('the kill', async () => killed, (k) => k !== null);
    await killed;
    const stopped = await step(campaign.id);
    expect([stopped.processed, stopped.done_at, await members(campaign.id)]).toEqual([500, null, 500]);

    running.push(await mod.startWorkers());
    await until('the fan-out to finish', () => step(campaign.id), (s) => s.done_at !== null);
    expect(await members(campaign.id)).toBe(BULK);
    expect((await step(campaign.id)).processed).toBe(BULK);
    expect(await invitations(campaign.id)).toBe(BULK);
    await until('every invitation', async () => receiver.forCampaign(campaign.id).length, (n) => n >= BULK);
    expectEachOnce(receiver.forCampaign(campaign.id), BULK);
    expect(receiver.bad()).toBe(0);
  });

  it('re-running a finished step, re-dispatching every message and ticking again change nothing', async () => {
    await svc.platform.db.query(`UPDATE campaign_steps SET done_at = NULL, cursor = NULL, processed = 0 WHERE campaign_id = $1 AND step = 'invite'`, [campaignId]);
    expect(await mod.services.runner.run(campaignId, 'invite')).toBe('done');
    const ids = (await svc.platform.db.query<{ id: string }>('SELECT id FROM campaign_deliveries WHERE campaign_id = $1', [campaignId])).map((r) => r.id);
    await mod.producer.enqueueDeliveries(ids);
    await mod.services.ticker.tick();
    await mod.services.ticker.tick();
    await until('the re-dispatched jobs to drain', () => mod.producer.backlog(), (n) => n === 0);
    expect([await members(campaignId), await invitations(campaignId)]).toEqual([BULK, BULK]);
    expectEachOnce(receiver.forCampaign(campaignId), BULK);
  });
});

describe('the same step run twice at once', () => {
  it('is committed by one runner page by page; the other stands down', async () => {
    const campaign = await newCampaign('bulk', 'Concurrent runners');
    await svc.platform.db.query(`UPDATE campaigns SET status = 'running' WHERE id = $1`, [campaign.id]);
    await svc.platform.db.query(`INSERT INTO campaign_steps (campaign_id, step, due_at) VALUES ($1, 'invite', $2)`, [campaign.id, campaign.opensAt]);
    const outcomes = await Promise.all([mod.services.runner.run(campaign.id, 'invite'), mod.services.runner.run(campaign.id, 'invite')]);
    expect(outcomes).toContain('done');
    expect([await members(campaign.id), await invitations(campaign.id)]).toEqual([BULK, BULK]);
    await until('every invitation', async () => receiver.forCampaign(campaign.id).length, (n) => n >= BULK);
    expectEachOnce(receiver.forCampaign(campaign.id), BULK);
  });
});

describe('Redis losing every job mid fan-out', () => {
  it('is made good by the tick from the database: the step resumes and lost messages are sent once', async () => {
    for (const w of running.splice(0)) await w.close();
    const campaign = await newCampaign('bulk', 'Redis flushed');
    let killed: Promise<void> | null = null;
    const first = await mod.startWorkers({
      onStepPage: (p) => {
        if (p.campaignId !== campaign.id || p.processed < 300 || killed) return;
        killed = first.kill();
        return new Promise<void>(() => undefined);
      },
    });
    await mod.services.campaigns.start(campaign.id, OPERATOR);
    await until('the kill', async () => killed, (k) => k !== null);
    await killed;
    const keys = await svc.platform.redis.keys(`${env.config.QUEUE_PREFIX}:*`);
    if (keys.length) await svc.platform.redis.del(...keys);

    running.push(await mod.startWorkers());
    // With no delivery job left in Redis, messages marked enqueued are released after minutes, not the hour that
    // applies while other jobs are still queued.
    clock.set(new Date(clock.now().getTime() + 3 * 60_000));
    await mod.services.ticker.tick();
    await until('the fan-out to finish', () => step(campaign.id), (s) => s.done_at !== null);
    await mod.services.ticker.tick();
    // As in production, the tick keeps running: a message marked enqueued while Redis lost its jobs (seen once in CI:
    // 2999 of 3000 after a single tick) is released by a later tick once no delivery job is left. Each is sent once.
    let lastTick = Date.now();
    await until('every invitation', async () => {
      const sent = receiver.forCampaign(campaign.id).length;
      if (sent < BULK && Date.now() - lastTick > 5_000) {
        clock.set(new Date(clock.now().getTime() + 3 * 60_000));
        await mod.services.ticker.tick();
        lastTick = Date.now();
      }
      return sent;
    }, (n) => n >= BULK);
    expect([await members(campaign.id), await invitations(campaign.id)]).toEqual([BULK, BULK]);
    expectEachOnce(receiver.forCampaign(campaign.id), BULK);
  });
});

describe('pause, resume and cancel', () => {
  it('holds every message while paused and sends each once after resuming', async () => {
    for (const w of running.splice(0)) await w.close();
    const campaign = await newCampaign('small', 'Paused');
    await mod.services.campaigns.start(campaign.id, OPERATOR);
    expect(await mod.services.runner.run(campaign.id, 'invite')).toBe('done');
    await mod.services.campaigns.pause(campaign.id, OPERATOR);
    running.push(await mod.startWorkers());
    await until('the queued messages to be held', () => mod.producer.backlog(), (n) => n === 0);
    await mod.services.ticker.tick();
    expect(receiver.forCampaign(campaign.id)).toHaveLength(0);
    expect(await count(`SELECT count(*)::int AS n FROM campaign_deliveries WHERE campaign_id = $1 AND status = 'pending' AND enqueued_at IS NULL`, [campaign.id])).toBe(50);

    await mod.services.campaigns.resume(campaign.id, OPERATOR);
    await mod.services.ticker.tick();
    await until('every invitation', async () => receiver.forCampaign(campaign.id).length, (n) => n >= 50);
    expectEachOnce(receiver.forCampaign(campaign.id), 50);
  });

  it('sends nothing of a cancelled campaign', async () => {
    for (const w of running.splice(0)) await w.close();
    const campaign = await newCampaign('small', 'Cancelled');
    await mod.services.campaigns.start(campaign.id, OPERATOR);
    await mod.services.runner.run(campaign.id, 'invite');
    const cancelled = await mod.services.campaigns.cancel(campaign.id, 'Wrong cohort chosen', OPERATOR);
    expect(cancelled.status).toBe('cancelled');
    running.push(await mod.startWorkers());
    await until('the queue to drain', () => mod.producer.backlog(), (n) => n === 0);
    expect(receiver.forCampaign(campaign.id)).toHaveLength(0);
    expect(await count(`SELECT count(*)::int AS n FROM campaign_deliveries WHERE campaign_id = $1 AND status = 'cancelled'`, [campaign.id])).toBe(50);
    await expect(mod.services.campaigns.resume(campaign.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_PAUSED' });
  });
});

describe('a recurring campaign from a template', () => {
  it('is made and started for the current period once, with a job scheduler for the next, and again a year on', async () => {
    for (const w of running.splice(0)) await w.close();
    const now = clock.now();
    const template = await mod.services.templates.create({
      name: 'Annual proof of life', cohort: { regions: ['small'] }, recurrence: 'yearly',
      anchorMonth: now.getUTCMonth() + 1, anchorDay: Math.min(now.getUTCDate(), 28), windowDays: 30, graceDays: 10, autoStart: true,
    }, OPERATOR);
    const scheduler = await mod.producer.campaigns.getJobScheduler(`campaign-template-${template.id}`);
    expect(scheduler?.pattern).toBe(`0 0 ${Math.min(now.getUTCDate(), 28)} ${now.getUTCMonth() + 1} *`);
    const first = await svc.platform.db.query<{ id: string; status: string; period_key: string }>(
      'SELECT id, status, period_key FROM campaigns WHERE template_id = $1', [template.id]);
    expect(first).toHaveLength(1);
    expect(first[0]!.status).toBe('running');
    expect(await mod.services.templates.ensureCurrent(template.id)).toEqual({ outcome: 'exists', campaignId: first[0]!.id });

    clock.set(new Date(now.getTime() + 366 * 86_400_000));
    await mod.services.ticker.tick();
    const both = await svc.platform.db.query<{ period_key: string }>('SELECT period_key FROM campaigns WHERE template_id = $1 ORDER BY period_key', [template.id]);
    expect(both.map((r) => Number(r.period_key.slice(0, 4)))).toEqual([Number(first[0]!.period_key.slice(0, 4)), Number(first[0]!.period_key.slice(0, 4)) + 1]);
  });
});
