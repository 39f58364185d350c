import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { migrateUp } from '../../src/storage/database/migrator.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { reverificationCampaigns } from '../../src/storage/migrations/005-campaigns.js';
import { createLogger } from '../../src/shared/logger.js';
import type { CampaignSettings } from '../../src/domain/campaigns/campaign-settings.js';
import { passportSchema } from '../../src/domain/subjects/passport.js';
import { createCampaignModule, type CampaignModule } from '../../src/bootstrap/modules/campaign.module.js';
import { ApiClient } from '../support/api-client.js';
import { MutableClock } from '../support/mutable-clock.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, PASSPORT, startStack, type Stack } from '../support/stack.js';

// A campaign's life on the real PostgreSQL, Redis and face engine, with an injectable clock: cohort
// preview, invitations and reminders as signed webhooks, states that follow submissions, overdue at
// due + grace with the export and the payment webhook, in-person closure, dead-lettering.
const SECRET = 'campaign-test-secret-0123456789abcdef';
const DAY = 86_400_000;

interface Received { path: string; body: Record<string, any>; raw: string }

/** The notification gateway and the payment system, on 127.0.0.1; each checks the signature as a receiver would. */
async function startReceiver() {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const failFor = new Map<string, number>();
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
      const body = JSON.parse(raw) as Record<string, any>;
      attempts.set(body.id, (attempts.get(body.id) ?? 0) + 1);
      const fail = failFor.get(body.subject.pensionNumber);
      if (fail) {
        res.writeHead(fail).end();
        return;
      }
      received.push({ path: req.url!, body, raw });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received, attempts, failFor, bad: () => badSignatures,
    of: (type: string) => received.filter((r) => r.body.type === type),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let stack: Stack;
let mod: CampaignModule;
let workers: { close(): Promise<void> } | null = null;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let office: ApiClient;
let closeApi: () => Promise<void>;
const clock = new MutableClock(new Date());
const REFS = Array.from({ length: 14 }, (_, i) => `PN-C${String(i + 1).padStart(2, '0')}`); // C01-C12 in Sughd, C13-C14 in Khatlon
const SUGHD = REFS.slice(0, 12);

async function until<T>(what: string, fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A decided submission as the worker leaves it, for outcomes the real engine cannot be made to give on demand. */
async function decided(ref: string, decision: 'verified' | 'needs_review' | 'rejected'): Promise<string> {
  const id = randomUUID();
  await stack.service.platform.db.query(
    `INSERT INTO submissions (id, subject_id, kind, status, decision, created_at, completed_at)
     SELECT $1, id, 'verification', 'completed', $3, $4, $4 FROM subjects WHERE external_ref = $2`,
    [id, ref, decision, clock.now()]);
  return id;
}

/** The same settings as configuration, for when src/bootstrap wires campaigns into the svc from the environment. */
const asEnv = (s: CampaignSettings): Record<string, string> => ({
  NOTIFY_WEBHOOK_URL: s.notifyUrl!, PAYMENT_WEBHOOK_URL: s.paymentUrl!, WEBHOOK_SECRET: s.secret!, WEBHOOK_ATTEMPTS: String(s.webhookAttempts),
  WEBHOOK_BACKOFF_MS: String(s.webhookBackoffMs), WEBHOOK_TIMEOUT_MS: String(s.webhookTimeoutMs), WEBHOOK_CONCURRENCY: String(s.webhookConcurrency),
  CAMPAIGN_PAGE_SIZE: String(s.pageSize), CAMPAIGN_TICK_SECONDS: String(s.tickMs / 1000),
  CAMPAIGN_MAX_QUEUED_DELIVERIES: String(s.maxQueuedDeliveries), JOB_LOCK_MS: String(s.jobLockMs),
});

beforeAll(async () => {
  receiver = await startReceiver();
  const settings: CampaignSettings = {
    notifyUrl: `${receiver.url}/notify`, paymentUrl: `${receiver.url}/payment`, secret: SECRET,
    webhookAttempts: 3, webhookBackoffMs: 50, webhookTimeoutMs: 5000, webhookConcurrency: 4,
    pageSize: 5, tickMs: 3_600_000, maxQueuedDeliveries: 1000, jobLockMs: 5000,
  };
  stack = await startStack({ worker: true, clock, env: asEnv(settings) });
  await migrateUp(stack.service.platform.db, [...migrations, reverificationCampaigns]);
  // Once the composition root wires campaigns, the svc's module (and the worker role's campaign workers) are the ones to use.
  const wired = (stack.service as unknown as { campaigns?: CampaignModule }).campaigns;
  mod = wired ?? createCampaignModule(stack.service.platform, { settings });
  if (!wired) workers = await mod.startWorkers();
  const app = createApp({
    logger: createLogger('silent'), apiKeys: stack.service.access.apiKeys, idempotency: stack.service.platform.uow.ports.idempotency,
    maxUploadBytes: 1_000_000, version: 'test', routes: mod.routes,
  });
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  closeApi = () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  office = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stack.keys.operator);

  await createConsentingSubject(stack.client, REFS[0]!, undefined, { signedAt: new Date(clock.now().getTime() - 60_000).toISOString() });
  const passport = passportSchema.parse(PASSPORT);
  for (const ref of REFS.slice(1)) await stack.service.subjects.subjects.create(ref, passport, 'ru', { type: 'staff', id: 'seed', role: null });
  for (const ref of REFS) {
    const res = await office.json('POST', `/v1/subjects/${ref}/attributes`, {
      region: SUGHD.includes(ref) ? 'sughd' : 'khatlon', office: 'khujand-1', birthYear: 1950,
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await workers?.close();
  if (workers) await mod?.close();
  await closeApi?.();
  await receiver?.close();
  await stack?.stop();
});

describe('a campaign from creation to the overdue export', () => {
  let id: string;
  const opensAt = clock.now();
  const dueAt = new Date(opensAt.getTime() + 30 * DAY);
  const closes = new Date(dueAt.getTime() + 5 * DAY);
  const state = async (ref: string) => (await office.json('GET', `/v1/campaigns/${id}/subjects?limit=1000`)).body.subjects
    .find((s: { subjectId: string }) => s.subjectId === ref)?.state as string | undefined;
  const progress = async () => (await office.json('GET', `/v1/campaigns/${id}`)).body;

  it('previews the cohort and creates a draft; other roles may not', async () => {
    expect((await office.json('POST', '/v1/campaigns/cohort-preview', { cohort: { regions: ['sughd'] } })).body).toEqual({ size: 12 });
    expect((await office.json('POST', '/v1/campaigns/cohort-preview', { cohort: { regions: ['sughd'], birthYearFrom: 1951 } })).body).toEqual({ size: 0 });
    const refused = await office.withKey(stack.keys['mobile-client']).json('POST', '/v1/campaigns/cohort-preview', { cohort: {} });
    expect(refused.status).toBe(403);
    const bad = await office.json('POST', '/v1/campaigns', {
      name: 'Bad', opensAt: opensAt.toISOString(), dueAt: opensAt.toISOString(),
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_CAMPAIGN']);
    const res = await office.json('POST', '/v1/campaigns', {
      name: 'Sughd proof of life 2026', cohort: { regions: ['sughd'] },
      opensAt: opensAt.toISOString(), dueAt: dueAt.toISOString(), graceDays: 5,
      reminders: [{ hoursBeforeDue: 168 }, { hoursBeforeDue: 12 }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', closesAt: closes.toISOString(), graceDays: 5 });
    id = res.body.id;
  });

  it('starts: each member invited once, by a signed webhook that carries no biometric or identity data', async () => {
    const started = await office.json('POST', `/v1/campaigns/${id}/start`);
    expect([started.status, started.body.status]).toEqual([200, 'running']);
    expect((await office.json('POST', `/v1/campaigns/${id}/start`)).body.error.code).toBe('CAMPAIGN_NOT_DRAFT');
    await until('12 invitations', () => receiver.of('campaign.invitation').length, (n) => n >= 12);
    const invitations = receiver.of('campaign.invitation');
    expect(invitations.map((m) => m.body.subject.pensionNumber).sort()).toEqual(SUGHD);
    expect(receiver.bad()).toBe(0);
    const [one] = invitations;
    expect(one!.path).toBe('/notify');
    expect(Object.keys(one!.body).sort()).toEqual(['campaign', 'id', 'occurredAt', 'reminder', 'subject', 'type']);
    expect(one!.body.subject).toEqual({ pensionNumber: one!.body.subject.pensionNumber, language: expect.any(String) });
    expect(one!.body.campaign).toEqual({ id, opensAt: opensAt.toISOString(), dueAt: dueAt.toISOString(), closesAt: closes.toISOString() });
    expect(one!.raw).not.toMatch(/Rahimov|A1234567|1955|embedding|selfie|similarity/);
    const p = await progress();
    expect(p.counts).toMatchObject({ invited: 12, verified: 0, overdue: 0 });
    expect(p.steps.find((s: { step: string }) => s.step === 'invite')).toMatchObject({ processed: 12, affected: 12 });
  });

  it('follows submissions: a real proof of life verifies, review and rejection show as such', async () => {
    clock.set(new Date(opensAt.getTime() + DAY));
    const selfie = readFileSync('samples/faces/sample1-face1.jpg');
    const document = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
    const res = await stack.client.multipart(`/v1/subjects/${REFS[0]}/enrollments`, { selfie, document });
    const real = await stack.client.waitForSubmission(res.body.submissionId);
    expect(real.status).toBe('completed');
    await decided('PN-C03', 'rejected');
    await mod.services.ticker.tick(); // the periodic pass finds both
    // The member's state is what the engine decided (verified for this sample pair, as the pipeline tests show).
    expect(await state('PN-C01')).toBe(real.decision);
    if (real.decision !== 'verified') await mod.onSubmissionDecided(await decided('PN-C01', 'verified'));
    const review = await decided('PN-C02', 'needs_review');
    await mod.onSubmissionDecided(review); // the hook for the submission worker
    expect([await state('PN-C01'), await state('PN-C02'), await state('PN-C03'), await state('PN-C04')])
      .toEqual(['verified', 'needs_review', 'rejected', 'invited']);
  });

  it('reminds only those who still owe a proof, a week before the due date', async () => {
    clock.set(new Date(dueAt.getTime() - 7 * DAY + 60_000));
    await mod.services.ticker.tick();
    await until('10 reminders', () => receiver.of('campaign.reminder').length, (n) => n >= 10);
    const reminders = receiver.of('campaign.reminder');
    expect(reminders.map((m) => m.body.subject.pensionNumber).sort()).toEqual(SUGHD.filter((r) => r !== 'PN-C01' && r !== 'PN-C02'));
    expect(reminders[0]!.body.reminder).toEqual({ kind: 'reminder-168h', hoursBeforeDue: 168 });
    await mod.services.ticker.tick();
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.of('campaign.reminder')).toHaveLength(10);
    expect(receiver.of('campaign.invitation')).toHaveLength(12);
  });

  it('marks the rest overdue at due + grace, tells the payment system, and exports the list as CSV and JSON', async () => {
    await decided('PN-C04', 'verified'); // on time, but only noticed at the close
    clock.set(new Date(closes.getTime() + 60_000));
    await mod.services.ticker.tick();
    await until('the close', progress, (p) => p.campaign.status === 'closed');
    const p = await progress();
    expect(p.counts).toMatchObject({ verified: 2, needs_review: 1, overdue: 9, invited: 0, rejected: 0 });
    const late = await until('the late reminder step', progress, (q) => q.steps.every((s: { doneAt: string | null }) => s.doneAt));
    expect(late.steps.find((s: { step: string }) => s.step === 'reminder-12h').outcome).toMatch(/^skipped: (due date passed|campaign closed)$/);
    await until('9 overdue messages', () => receiver.of('campaign.subject-overdue').length, (n) => n >= 9);
    const overdue = receiver.of('campaign.subject-overdue');
    expect(overdue.every((m) => m.path === '/payment' && m.body.state === 'overdue' && m.body.overdueSince)).toBe(true);
    const expected = SUGHD.filter((r) => !['PN-C01', 'PN-C02', 'PN-C04'].includes(r));
    expect(overdue.map((m) => m.body.subject.pensionNumber).sort()).toEqual(expected);

    const csv = await fetch(`${office.baseUrl}/v1/campaigns/${id}/overdue?format=csv`, { headers: { authorization: `Bearer ${stack.keys.operator}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('pension_number,campaign_id,state,due_at,closes_at,overdue_since,last_decision,region,office');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(expected);
    expect(lines.find((l) => l.startsWith('PN-C03'))).toContain(',overdue,');
    expect(lines.find((l) => l.startsWith('PN-C03'))).toContain(',rejected,sughd,khujand-1');
    const json = await office.json('GET', `/v1/campaigns/${id}/overdue?format=json`);
    expect(json.body.subjects.map((s: { pension_number: string }) => s.pension_number).sort()).toEqual(expected);
    const audit = await stack.service.platform.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1 AND action IN ('campaign.closed','campaign.overdue-exported') ORDER BY seq`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['campaign.closed', 'campaign.overdue-exported', 'campaign.overdue-exported']);
  });

  it('closes a case after an in-person verification, with the reason, and clears the payment block', async () => {
    const res = await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C05/case`, { outcome: 'verified_in_person', reason: 'Seen at office Khujand-1, passport checked' });
    expect(res.body).toMatchObject({ previousState: 'overdue', state: 'verified_in_person' });
    expect((await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C05/case`, { outcome: 'exempt', reason: 'again' })).body.error.code)
      .toBe('CASE_ALREADY_CLOSED');
    expect((await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C13/case`, { outcome: 'exempt', reason: 'not a member' })).body.error.code)
      .toBe('SUBJECT_NOT_IN_CAMPAIGN');
    expect((await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C01/case`, { outcome: 'exempt', reason: 'verified' })).body.error.code)
      .toBe('ALREADY_VERIFIED');
    await until('the cleared message', () => receiver.of('campaign.subject-cleared').length, (n) => n >= 1);
    expect(receiver.of('campaign.subject-cleared')[0]!.body).toMatchObject({ subject: { pensionNumber: 'PN-C05' }, state: 'verified_in_person' });
    expect((await progress()).counts).toMatchObject({ verified_in_person: 1, overdue: 8 });
    const [entry] = await stack.service.platform.db.query<{ details: Record<string, string>; subject_id: string }>(
      `SELECT details, subject_id FROM audit_log WHERE action = 'campaign.case-closed'`);
    expect(entry!.details).toEqual({ from: 'overdue', to: 'verified_in_person' });
    expect(entry!.subject_id).toBeTruthy();
  });

  it('lifts overdue when a late proof of life verifies', async () => {
    const late = await decided('PN-C06', 'verified');
    await mod.onSubmissionDecided(late);
    expect(await state('PN-C06')).toBe('verified');
    await until('the second cleared message', () => receiver.of('campaign.subject-cleared').length, (n) => n >= 2);
    expect(receiver.of('campaign.subject-cleared').map((m) => m.body.subject.pensionNumber)).toContain('PN-C06');
  });

  it('makes a case the office reviews and rejects after the close overdue, found by the periodic pass', async () => {
    // What the review dashboard leaves behind: the submission's decision changed, and a 'review.decided' entry.
    const [sub] = await stack.service.platform.db.query<{ id: string; subject_id: string }>(
      `SELECT s.id, s.subject_id FROM submissions s JOIN subjects j ON j.id = s.subject_id WHERE j.external_ref = 'PN-C02'`);
    await stack.service.platform.db.query(`UPDATE submissions SET decision = 'rejected' WHERE id = $1`, [sub!.id]);
    await stack.service.platform.audit.record({
      actor: { type: 'staff', id: 'reviewer-1', role: 'reviewer' }, action: 'review.decided', subjectId: sub!.subject_id,
      targetType: 'submission', targetId: sub!.id, outcome: 'success', details: { decision: 'rejected' },
    });
    await mod.services.ticker.tick();
    expect(await state('PN-C02')).toBe('overdue');
    await until('the overdue message', () => receiver.of('campaign.subject-overdue').length, (n) => n >= 10);
  });

  it('retries a failing payment system with backoff, dead-letters after N attempts, and sends again on request', async () => {
    receiver.failFor.set('PN-C07', 503);
    receiver.failFor.set('PN-C08', 400);
    await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C07/case`, { outcome: 'exempt', reason: 'In hospital, certificate seen' });
    await office.json('POST', `/v1/campaigns/${id}/subjects/PN-C08/case`, { outcome: 'exempt', reason: 'In hospital, certificate seen' });
    const dead = await until('two dead letters',
      async () => (await office.json('GET', `/v1/campaigns/${id}/deliveries?status=dead`)).body.deliveries as { subjectId: string; attempts: number; lastError: string }[],
      (d) => d.length >= 2);
    expect(dead.find((d) => d.subjectId === 'PN-C07')).toMatchObject({ attempts: 3, lastError: 'HTTP 503' });
    expect(dead.find((d) => d.subjectId === 'PN-C08')).toMatchObject({ attempts: 1, lastError: 'HTTP 400' }); // refused: no point retrying
    receiver.failFor.clear();
    expect((await office.json('POST', `/v1/campaigns/${id}/deliveries/retry-dead`)).body).toEqual({ retried: 2 });
    await until('both cleared', () => receiver.of('campaign.subject-cleared').length, (n) => n >= 4);
    expect(receiver.of('campaign.subject-cleared').filter((m) => m.body.subject.pensionNumber === 'PN-C07')).toHaveLength(1);
  });
});
