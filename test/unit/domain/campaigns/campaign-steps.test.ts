import { describe, expect, it } from 'vitest';
import { DAY, OPERATOR, campaignHarness } from './campaign-harness.js';

describe('the invitation fan-out', () => {
  it('invites the cohort page by page, one message each, and a second run adds nobody', async () => {
    const h = campaignHarness({ pageSize: 2 });
    h.subjects(5);
    h.world.addSubject('s-6', 'PN-6', { status: 'closed' });
    const pages: number[] = [];
    const c = await h.campaigns.create(h.input(), OPERATOR);
    await h.campaigns.start(c.id, OPERATOR);
    expect(await h.runner.run(c.id, 'invite', { onPage: (p) => { pages.push(p.processed); } })).toBe('done');
    expect(pages).toEqual([2, 4, 5]);
    expect(h.states(c.id)).toEqual({ 's-1': 'invited', 's-2': 'invited', 's-3': 'invited', 's-4': 'invited', 's-5': 'invited' });
    expect(h.kinds(c.id).filter((k) => k.includes(':invitation:pending'))).toHaveLength(5);
    expect(h.jobs.deliveries).toHaveLength(5);
    expect(h.world.steps.get(`${c.id}/invite`)).toMatchObject({ processed: 5, affected: 5, outcome: 'completed' });
    expect(await h.runner.run(c.id, 'invite')).toBe('already-done');
    expect(h.world.members.size).toBe(5);
  });

  it('selects the cohort by attributes', async () => {
    const h = campaignHarness();
    h.subjects(3);
    const at = h.clock.now();
    h.world.attributes.set('s-1', { region: 'SUGHD', office: 'KH-1', birthYear: 1950, updatedAt: at, updatedBy: 'staff:op-1' });
    h.world.attributes.set('s-2', { region: 'KHATLON', office: 'BO-2', birthYear: 1955, updatedAt: at, updatedBy: 'staff:op-1' });
    expect(await h.campaigns.previewCohort({ regions: ['SUGHD'] })).toBe(1);
    expect(await h.campaigns.previewCohort({ birthYearTo: 1960 })).toBe(2);
    const c = await h.started({ cohort: { regions: ['KHATLON'] } });
    expect(h.states(c.id)).toEqual({ 's-2': 'invited' });
  });

  it('runs no step before its time, and no reminder before the invitation is done', async () => {
    const h = campaignHarness();
    h.subjects(1);
    const c = await h.campaigns.create(h.input({ opensAt: new Date(h.clock.now().getTime() + DAY) }), OPERATOR);
    await h.campaigns.start(c.id, OPERATOR);
    expect(await h.runner.run(c.id, 'invite')).toBe('not-due');
    h.clock.advanceDays(29);
    expect(await h.runner.run(c.id, 'reminder-48h')).toBe('waiting-for-invite');
    expect(await h.runner.run(c.id, 'nope')).toBe('missing');
  });
});

describe('member states follow decisions', () => {
  it('moves a member with each decision at once, and reminds only those who still owe a proof', async () => {
    const h = campaignHarness();
    h.subjects(4);
    const c = await h.started();
    await h.reconciler.onSubmissionDecided(h.decide('s-1', 'verified'));
    await h.reconciler.onSubmissionDecided(h.decide('s-2', 'needs_review'));
    await h.reconciler.onSubmissionDecided(h.decide('s-3', 'rejected'));
    expect(h.states(c.id)).toEqual({ 's-1': 'verified', 's-2': 'needs_review', 's-3': 'rejected', 's-4': 'invited' });

    h.clock.advanceDays(28);
    expect(await h.runner.run(c.id, 'reminder-48h')).toBe('done');
    expect(h.kinds(c.id).filter((k) => k.includes('reminder'))).toEqual(['s-3:reminder-48h:pending', 's-4:reminder-48h:pending']);
  });

  it('skips a reminder whose run comes after the due date', async () => {
    const h = campaignHarness();
    h.subjects(1);
    const c = await h.started();
    h.clock.advanceDays(30);
    expect(await h.runner.run(c.id, 'reminder-48h')).toBe('done');
    expect(h.world.steps.get(`${c.id}/reminder-48h`)!.outcome).toBe('skipped: due date passed');
    expect(h.kinds(c.id).filter((k) => k.includes('reminder'))).toEqual([]);
  });

  it('catches up with decisions it was not told about on the periodic pass', async () => {
    const h = campaignHarness();
    h.subjects(2);
    const c = await h.started();
    h.clock.advanceDays(1);
    h.decide('s-2', 'verified');
    h.clock.advanceDays(1);
    expect(await h.reconciler.reconcileRecent()).toMatchObject({ changed: 1 });
    expect(h.states(c.id)).toMatchObject({ 's-2': 'verified' });
    expect(await h.reconciler.reconcileRecent()).toEqual({ scanned: 0, changed: 0 });
  });
});

describe('the close', () => {
  it('marks those without success overdue (never one waiting for review), tells the payment system, and closes', async () => {
    const h = campaignHarness();
    h.subjects(4);
    const c = await h.started();
    h.decide('s-1', 'verified');
    h.decide('s-2', 'needs_review');
    h.decide('s-3', 'rejected');
    h.clock.advanceDays(35);
    expect(await h.runner.run(c.id, 'close')).toBe('done');
    expect(h.states(c.id)).toEqual({ 's-1': 'verified', 's-2': 'needs_review', 's-3': 'overdue', 's-4': 'overdue' });
    expect(h.kinds(c.id).filter((k) => k.includes('payment'))).toEqual(['s-3:payment-overdue:pending', 's-4:payment-overdue:pending']);
    expect((await h.campaigns.get(c.id)).status).toBe('closed');
    expect(h.world.audit.entries.at(-1)).toMatchObject({ action: 'campaign.closed', details: { overdue: 2, needsReview: 1, verified: 1 } });
    expect(h.world.steps.get(`${c.id}/reminder-48h`)!.outcome).toBe('skipped: campaign closed');
  });

  it('after the close, a late proof clears an overdue member and the payment system hears it; a rejecting review makes one overdue', async () => {
    const h = campaignHarness();
    h.subjects(2);
    const c = await h.started();
    const pending = h.decide('s-2', 'needs_review');
    h.clock.advanceDays(35);
    await h.runner.run(c.id, 'close');
    h.clock.advanceDays(1);
    await h.reconciler.onSubmissionDecided(h.decide('s-1', 'verified'));
    // A reviewer rejects the pending case: the submission's decision changes, and only the audit trail says when.
    const i = h.world.submissions.findIndex((s) => s.id === pending);
    h.world.submissions[i] = { ...h.world.submissions[i]!, decision: 'rejected' };
    await h.audit.record({ actor: OPERATOR, action: 'review.decided', subjectId: 's-2', outcome: 'success' });
    expect(await h.reconciler.reconcileRecent()).toMatchObject({ changed: 1 });
    expect(h.states(c.id)).toEqual({ 's-1': 'verified', 's-2': 'overdue' });
    expect(h.kinds(c.id).filter((k) => k.includes('payment'))).toEqual([
      's-1:payment-cleared:pending', 's-1:payment-overdue:pending', 's-2:payment-overdue:pending',
    ]);
  });

  it('with no payment system configured, marks overdue for the exports only', async () => {
    const h = campaignHarness({ paymentUrl: null });
    h.subjects(1);
    const c = await h.started();
    h.clock.advanceDays(35);
    await h.runner.run(c.id, 'close');
    expect(h.states(c.id)).toEqual({ 's-1': 'overdue' });
    expect(h.kinds(c.id).filter((k) => k.includes('payment'))).toEqual([]);
  });
});
