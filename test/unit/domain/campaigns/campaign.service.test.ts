import { describe, expect, it } from 'vitest';
import { DAY, OPERATOR, campaignHarness } from './campaign-harness.js';

describe('a campaign from draft to running', () => {
  it('refuses an invalid campaign with every problem named', async () => {
    const h = campaignHarness();
    const now = h.clock.now();
    await expect(h.campaigns.create(h.input({ opensAt: now, dueAt: now, reminders: [{ hoursBeforeDue: 24 }, { hoursBeforeDue: 24 }] }), OPERATOR))
      .rejects.toMatchObject({
        code: 'INVALID_CAMPAIGN', status: 400,
        details: { problems: expect.arrayContaining(['dueAt must be after opensAt', 'dueAt must be in the future', 'reminders must differ']) },
      });
    await expect(h.campaigns.previewCohort({ birthYearFrom: 1960, birthYearTo: 1950 })).rejects.toMatchObject({ code: 'INVALID_COHORT' });
    expect(h.world.campaigns.size).toBe(0);
  });

  it('starts a draft: plans invite, reminders and close, enqueues each at its time, and audits it', async () => {
    const h = campaignHarness();
    const c = await h.campaigns.create(h.input(), OPERATOR);
    expect(c.status).toBe('draft');
    const running = await h.campaigns.start(c.id, OPERATOR);
    expect(running.status).toBe('running');
    expect(running.startedAt).toEqual(h.clock.now());
    expect(h.jobs.steps.map((s) => [s.step, s.delayMs])).toEqual([
      ['invite', 0], ['reminder-48h', 28 * DAY], ['close', 35 * DAY],
    ]);
    expect(h.world.audit.actions()).toEqual(['campaign.created', 'campaign.started']);
    await expect(h.campaigns.start(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_DRAFT', status: 409 });
  });

  it('will not start without the notification gateway, nor after the due date', async () => {
    const unconfigured = campaignHarness({ notifyUrl: null });
    const draft = await unconfigured.campaigns.create(unconfigured.input(), OPERATOR);
    await expect(unconfigured.campaigns.start(draft.id, OPERATOR)).rejects.toMatchObject({ code: 'NOTIFY_WEBHOOK_NOT_CONFIGURED' });
    expect((await unconfigured.campaigns.get(draft.id)).status).toBe('draft');

    const late = campaignHarness();
    const c = await late.campaigns.create(late.input(), OPERATOR);
    late.clock.advanceDays(31);
    await expect(late.campaigns.start(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_WINDOW_PASSED' });
  });

  it('skips a reminder whose time had passed when the campaign started, so it does not arrive with the invitation', async () => {
    const h = campaignHarness();
    const opensAt = new Date(h.clock.now().getTime() - 10 * DAY);
    const c = await h.campaigns.create(h.input({ opensAt, dueAt: new Date(h.clock.now().getTime() + DAY), reminders: [{ hoursBeforeDue: 72 }] }), OPERATOR);
    await h.campaigns.start(c.id, OPERATOR);
    const reminder = h.world.steps.get(`${c.id}/reminder-72h`)!;
    expect(reminder.outcome).toBe('skipped: started after its time');
    expect(h.jobs.steps.map((s) => s.step)).toEqual(['invite', 'close']);
  });

  it('answers an unknown campaign with CAMPAIGN_NOT_FOUND', async () => {
    const h = campaignHarness();
    await expect(h.campaigns.get('nope')).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND', status: 404 });
    await expect(h.campaigns.start('nope', OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    await expect(h.campaigns.pause('nope', OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    await expect(h.campaigns.cancel('nope', 'typo', OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
  });
});

describe('pausing, resuming and cancelling', () => {
  it('pauses only a running campaign and resumes only a paused one, enqueueing the open steps again', async () => {
    const h = campaignHarness();
    const c = await h.campaigns.create(h.input(), OPERATOR);
    await expect(h.campaigns.pause(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_RUNNING', details: { status: 'draft' } });
    await h.campaigns.start(c.id, OPERATOR);
    const paused = await h.campaigns.pause(c.id, OPERATOR);
    expect(paused).toMatchObject({ status: 'paused', pausedAt: h.clock.now() });
    await expect(h.campaigns.pause(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_RUNNING', details: { status: 'paused' } });

    h.jobs.steps.length = 0;
    const resumed = await h.campaigns.resume(c.id, OPERATOR);
    expect(resumed).toMatchObject({ status: 'running', pausedAt: null });
    expect(h.jobs.steps.map((s) => s.step)).toEqual(['invite', 'reminder-48h', 'close']);
    await expect(h.campaigns.resume(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_PAUSED' });
    expect(h.world.audit.actions()).toEqual(['campaign.created', 'campaign.started', 'campaign.paused', 'campaign.resumed']);
  });

  it('sends nothing from a paused campaign: its steps wait, and resume carries on', async () => {
    const h = campaignHarness();
    h.subjects(3);
    const c = await h.campaigns.create(h.input(), OPERATOR);
    await h.campaigns.start(c.id, OPERATOR);
    await h.campaigns.pause(c.id, OPERATOR);
    expect(await h.runner.run(c.id, 'invite')).toBe('not-running');
    expect(h.world.members.size).toBe(0);
    await h.campaigns.resume(c.id, OPERATOR);
    expect(await h.runner.run(c.id, 'invite')).toBe('done');
    expect(Object.keys(h.states(c.id))).toHaveLength(3);
  });

  it('cancels: pending messages are cancelled, open steps end, sent ones stay on record; a cancelled campaign stays cancelled', async () => {
    const h = campaignHarness();
    h.subjects(3);
    const c = await h.started();
    const first = h.world.deliveriesOf(c.id)[0]!;
    first.status = 'sent';
    const cancelled = await h.campaigns.cancel(c.id, 'wrong cohort', OPERATOR);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'wrong cohort' });
    expect(h.kinds(c.id)).toEqual(['s-1:invitation:sent', 's-2:invitation:cancelled', 's-3:invitation:cancelled']);
    expect([...h.world.steps.values()].every((s) => s.doneAt !== null)).toBe(true);
    expect(h.world.audit.entries.at(-1)).toMatchObject({ action: 'campaign.cancelled', details: { messagesCancelled: 2 } });
    await expect(h.campaigns.cancel(c.id, 'again', OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_CANCELLABLE', details: { status: 'cancelled' } });
    await expect(h.campaigns.resume(c.id, OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_PAUSED' });
    expect(await h.runner.run(c.id, 'close')).toBe('already-done');
  });
});

describe('moving the deadline', () => {
  it('moves the unsent reminders and the close with it', async () => {
    const h = campaignHarness();
    const c = await h.campaigns.create(h.input(), OPERATOR);
    await h.campaigns.start(c.id, OPERATOR);
    const dueAt = new Date(c.dueAt.getTime() + 7 * DAY);
    const moved = await h.campaigns.changeDeadline(c.id, dueAt, 2, OPERATOR);
    expect(moved).toMatchObject({ dueAt, graceDays: 2 });
    expect(h.world.steps.get(`${c.id}/reminder-48h`)!.dueAt).toEqual(new Date(dueAt.getTime() - 2 * DAY));
    expect(h.world.steps.get(`${c.id}/close`)!.dueAt).toEqual(new Date(dueAt.getTime() + 2 * DAY));
    expect(h.world.steps.get(`${c.id}/invite`)!.dueAt).toEqual(c.opensAt);
    expect(h.world.audit.entries.at(-1)).toMatchObject({ action: 'campaign.deadline-changed', details: { graceDays: 2 } });
  });

  it('refuses a deadline in the past, and any change once overdue marking has begun or the campaign ended', async () => {
    const h = campaignHarness();
    h.subjects(1);
    const c = await h.started({ graceDays: 0 });
    await expect(h.campaigns.changeDeadline(c.id, new Date(h.clock.now().getTime() - DAY), 1, OPERATOR))
      .rejects.toMatchObject({ code: 'INVALID_CAMPAIGN' });
    h.clock.advanceDays(31);
    // A worker shutting down as the close began: the step has started and stopped at a page boundary.
    expect(await h.runner.run(c.id, 'close', { shouldStop: () => true })).toBe('stopped');
    await expect(h.campaigns.changeDeadline(c.id, new Date(h.clock.now().getTime() + DAY), 1, OPERATOR))
      .rejects.toMatchObject({ code: 'CAMPAIGN_CLOSING' });
    await h.campaigns.cancel(c.id, 'ended', OPERATOR);
    await expect(h.campaigns.changeDeadline(c.id, new Date(h.clock.now().getTime() + DAY), 1, OPERATOR))
      .rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
  });
});

describe('progress and dead letters', () => {
  it('counts every state (zeros included) and gives dead-lettered messages a fresh round', async () => {
    const h = campaignHarness();
    h.subjects(4);
    const c = await h.started();
    h.decide('s-1', 'verified');
    await h.reconciler.reconcileSubjects(['s-1']);
    const p = await h.campaigns.progress(c.id);
    expect(p.counts).toEqual({ invited: 3, verified: 1, needs_review: 0, rejected: 0, overdue: 0, exempt: 0, verified_in_person: 0 });
    expect(p).toMatchObject({ total: 4, done: 1, percentDone: 25 });

    for (const d of h.world.deliveriesOf(c.id).slice(0, 2)) d.status = 'dead';
    expect(await h.campaigns.retryDead(c.id, OPERATOR)).toBe(2);
    expect(h.world.deliveriesOf(c.id).every((d) => d.status === 'pending')).toBe(true);
    expect(h.world.audit.entries.at(-1)).toMatchObject({ action: 'campaign.deliveries-retried', details: { messages: 2 } });
  });
});
