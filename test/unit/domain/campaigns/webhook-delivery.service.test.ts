import { describe, expect, it } from 'vitest';
import type { WebhookTransport } from '../../../../src/domain/campaigns/campaign-ports.js';
import { DeliveryAttemptError, WebhookDeliveryService } from '../../../../src/domain/campaigns/webhook-delivery.service.js';
import { verifyWebhook } from '../../../../src/domain/campaigns/webhook-signature.js';
import { DAY, OPERATOR, campaignHarness } from './campaign-harness.js';

const SECRET = 'test-secret-of-the-gateway';

/** A receiver answering each POST with the next status (or throwing the next error); it records what it got. */
class Receiver implements WebhookTransport {
  readonly posts: { url: string; body: string; headers: Record<string, string> }[] = [];
  constructor(private readonly answers: (number | Error)[] = []) {}

  async post(url: string, body: string, headers: Record<string, string>) {
    this.posts.push({ url, body, headers });
    const answer = this.answers.shift() ?? 200;
    if (answer instanceof Error) throw answer;
    return { status: answer };
  }
}

async function setup(answers: (number | Error)[] = [], secret: string | null = SECRET) {
  const h = campaignHarness();
  h.subjects(2);
  const c = await h.started();
  const receiver = new Receiver(answers);
  const settings = { notifyUrl: 'https://notify.example/hook', paymentUrl: 'https://pay.example/hook', secret, webhookTimeoutMs: 1000 };
  const service = new WebhookDeliveryService({ uow: h.uow, transport: receiver, settings, clock: h.clock, wallClock: h.clock });
  const invitation = (subjectId: string) => h.world.deliveriesOf(c.id).find((d) => d.subjectId === subjectId && d.kind === 'invitation')!;
  return { h, c, receiver, service, invitation };
}

describe('sending one message', () => {
  it('posts a signed invitation that names the pension number and language, nothing more, and marks it sent', async () => {
    const { h, c, receiver, service, invitation } = await setup();
    expect(await service.deliver(invitation('s-1').id, false)).toBe('sent');
    const [post] = receiver.posts;
    expect(post!.url).toBe('https://notify.example/hook');
    expect(post!.headers['x-zinda-event']).toBe('invitation');
    expect(verifyWebhook(SECRET, post!.body, post!.headers['x-zinda-signature'], Math.floor(h.clock.now().getTime() / 1000))).toBe(true);
    expect(JSON.parse(post!.body)).toMatchObject({
      type: 'campaign.invitation', campaign: { id: c.id }, subject: { pensionNumber: 'PN-1', language: 'tg' },
    });
    expect(Object.keys(JSON.parse(post!.body).subject as object)).toEqual(['pensionNumber', 'language']);
    expect(invitation('s-1')).toMatchObject({ status: 'sent', attempts: 1, responseStatus: 200 });
    expect(await service.deliver(invitation('s-1').id, false)).toBe('skipped');
    expect(await service.deliver('nope', false)).toBe('missing');
  });

  it('holds messages of a paused campaign in the outbox, and sends nothing of a cancelled one', async () => {
    const { h, c, receiver, service, invitation } = await setup();
    await h.campaigns.pause(c.id, OPERATOR);
    expect(await service.deliver(invitation('s-1').id, false)).toBe('held');
    expect(invitation('s-1')).toMatchObject({ status: 'pending', enqueuedAt: null });
    await h.campaigns.cancel(c.id, 'wrong list', OPERATOR);
    expect(await service.deliver(invitation('s-2').id, false)).toBe('skipped');
    expect(receiver.posts).toEqual([]);
  });

  it('drops an invitation to someone who proved life meanwhile, and any reminder after the due date', async () => {
    const { h, c, receiver, service, invitation } = await setup();
    await h.reconciler.onSubmissionDecided(h.decide('s-1', 'verified'));
    expect(await service.deliver(invitation('s-1').id, false)).toBe('superseded');
    h.clock.advanceDays(28);
    await h.runner.run(c.id, 'reminder-48h');
    const reminder = h.world.deliveriesOf(c.id).find((d) => d.kind === 'reminder-48h')!;
    h.clock.advanceDays(3);
    expect(await service.deliver(reminder.id, false)).toBe('superseded');
    expect(receiver.posts).toEqual([]);
  });

  it('retries a server error or a timeout, dead-letters on the last attempt, and at once on a refusal that retrying cannot fix', async () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const { service, invitation } = await setup([503, timeout, 502, 410]);
    await expect(service.deliver(invitation('s-1').id, false)).rejects.toBeInstanceOf(DeliveryAttemptError);
    expect(invitation('s-1')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503', responseStatus: 503 });
    await expect(service.deliver(invitation('s-1').id, false)).rejects.toMatchObject({ message: 'TIMEOUT', responseStatus: null });
    expect(await service.deliver(invitation('s-1').id, true)).toBe('dead');
    expect(invitation('s-1')).toMatchObject({ status: 'dead', attempts: 3, lastError: 'HTTP 502' });
    expect(await service.deliver(invitation('s-2').id, false)).toBe('dead');
    expect(invitation('s-2')).toMatchObject({ status: 'dead', attempts: 1, responseStatus: 410 });
  });

  it('dead-letters without trying when the gateway is not configured', async () => {
    const { receiver, service, invitation } = await setup([], null);
    expect(await service.deliver(invitation('s-1').id, false)).toBe('dead');
    expect(invitation('s-1')).toMatchObject({ attempts: 0, lastError: 'WEBHOOK_NOT_CONFIGURED' });
    expect(receiver.posts).toEqual([]);
  });
});

describe('payment messages', () => {
  it('sends "cleared" only after "overdue" went out, and not at all to a payment system never told "overdue"', async () => {
    const { h, c, receiver, service } = await setup();
    h.clock.advanceDays(35);
    await h.runner.run(c.id, 'close');
    await h.reconciler.onSubmissionDecided(h.decide('s-1', 'verified'));
    await h.reconciler.onSubmissionDecided(h.decide('s-2', 'verified'));
    const payment = (subjectId: string, kind: string) => h.world.deliveriesOf(c.id).find((d) => d.subjectId === subjectId && d.kind === kind)!;

    await expect(service.deliver(payment('s-1', 'payment-cleared').id, false)).rejects.toBeInstanceOf(DeliveryAttemptError);
    expect(await service.deliver(payment('s-1', 'payment-cleared').id, true)).toBe('held');
    expect(await service.deliver(payment('s-1', 'payment-overdue').id, false)).toBe('superseded');
    expect(await service.deliver(payment('s-1', 'payment-cleared').id, false)).toBe('superseded');

    h.world.deliveries.get(payment('s-2', 'payment-overdue').id)!.status = 'sent';
    expect(await service.deliver(payment('s-2', 'payment-cleared').id, false)).toBe('sent');
    expect(receiver.posts.map((p) => [p.url, JSON.parse(p.body).type])).toEqual([['https://pay.example/hook', 'campaign.subject-cleared']]);
  });
});

describe('the outbox dispatcher', () => {
  it('keeps messages in the outbox while the queue is full, feeds them as room frees, and releases jobs Redis lost', async () => {
    const h = campaignHarness({ maxQueuedDeliveries: 3, pageSize: 5 });
    h.subjects(5);
    h.jobs.waiting = 2;
    const c = await h.started();
    expect(h.jobs.deliveries).toEqual([]);
    expect(await h.dispatcher.drain()).toBe(1);
    h.jobs.waiting = 0;
    expect(await h.dispatcher.drain()).toBe(3);
    expect(h.world.deliveriesOf(c.id).filter((d) => d.enqueuedAt === null)).toHaveLength(1);

    h.jobs.waiting = 0;
    h.clock.set(new Date(h.clock.now().getTime() + DAY));
    expect(await h.dispatcher.releaseStale()).toBe(4);
    expect(h.world.deliveriesOf(c.id).every((d) => d.enqueuedAt === null)).toBe(true);
  });
});
