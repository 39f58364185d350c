import { describe, expect, it } from 'vitest';
import { CampaignTicker } from '../../../../src/domain/campaigns/campaign-ticker.js';
import type { TemplateInput } from '../../../../src/domain/campaigns/campaign-template.service.js';
import { CampaignTemplateService } from '../../../../src/domain/campaigns/campaign-template.service.js';
import { CampaignService } from '../../../../src/domain/campaigns/campaign.service.js';
import { OPERATOR, campaignHarness } from './campaign-harness.js';

/** Monthly from the 1st, open 20 days, auto-started; the harness clock stands at 2026-03-01. */
const monthly = (over: Partial<TemplateInput> = {}): TemplateInput => ({
  name: 'Monthly check', cohort: {}, recurrence: 'monthly', anchorMonth: 1, anchorDay: 1, windowDays: 20, graceDays: 3, autoStart: true, ...over,
});

describe('recurring campaigns from a template', () => {
  it('schedules the template and opens (and starts) the campaign of the current period at once', async () => {
    const h = campaignHarness();
    const t = await h.templates.create(monthly(), OPERATOR);
    expect(h.jobs.schedules.get(t.id)).toBe('0 0 1 * *');
    const [c] = [...h.world.campaigns.values()];
    expect(c).toMatchObject({
      name: 'Monthly check 2026-03-01', status: 'running', templateId: t.id, periodKey: '2026-03-01',
      opensAt: new Date('2026-03-01T00:00:00Z'), dueAt: new Date('2026-03-21T00:00:00Z'), graceDays: 3, createdBy: 'system:campaigns',
    });
    expect(h.world.audit.actions()).toEqual(['campaign-template.created', 'campaign.created', 'campaign.started']);
    expect(await h.templates.ensureCurrent(t.id)).toEqual({ outcome: 'exists', campaignId: c!.id });
    expect(h.world.campaigns.size).toBe(1);
  });

  it('leaves a draft when the template does not auto-start, and makes nothing once the period\'s window has passed', async () => {
    const h = campaignHarness();
    const manual = await h.templates.create(monthly({ autoStart: false }), OPERATOR);
    expect([...h.world.campaigns.values()].map((c) => [c.templateId, c.status])).toEqual([[manual.id, 'draft']]);

    h.clock.set(new Date('2026-04-25T00:00:00Z'));
    const late = await h.templates.create(monthly(), OPERATOR);
    expect(await h.templates.ensureCurrent(late.id)).toEqual({ outcome: 'window-passed', campaignId: null });
    expect([...h.world.campaigns.values()].filter((c) => c.templateId === late.id)).toEqual([]);
    expect(await h.templates.ensureCurrent('nope')).toEqual({ outcome: 'missing', campaignId: null });
  });

  it('keeps the period\'s campaign as a draft and reports why when it cannot start', async () => {
    const h = campaignHarness();
    const errors: string[] = [];
    const campaigns = new CampaignService({ uow: h.uow, audit: h.audit, clock: h.clock, jobs: h.jobs, settings: { notifyUrl: null } });
    const templates = new CampaignTemplateService({
      uow: h.uow, audit: h.audit, clock: h.clock, campaigns, jobs: h.jobs, onError: (id, e) => errors.push(`${id}: ${(e as { code: string }).code}`),
    });
    const t = await templates.create(monthly(), OPERATOR);
    expect([...h.world.campaigns.values()].map((c) => c.status)).toEqual(['draft']);
    expect(errors).toEqual([`${t.id}: NOTIFY_WEBHOOK_NOT_CONFIGURED`]);
  });

  it('makes the next period\'s campaign on the tick when the scheduler\'s firing was missed', async () => {
    const h = campaignHarness();
    const failures: string[] = [];
    const ticker = new CampaignTicker({
      uow: h.uow, clock: h.clock, jobs: h.jobs, templates: h.templates, reconciler: h.reconciler, dispatcher: h.dispatcher,
      onError: (part) => failures.push(part),
    });
    await h.templates.create(monthly(), OPERATOR);
    h.clock.set(new Date('2026-04-02T00:00:00Z'));
    expect(await ticker.tick()).toMatchObject({ templates: 1 });
    expect([...h.world.campaigns.values()].map((c) => c.periodKey).sort()).toEqual(['2026-03-01', '2026-04-01']);
    expect((await ticker.tick()).templates).toBe(0);
    expect(failures).toEqual([]);
  });
});

describe('deactivating a template', () => {
  it('stops its schedule and its campaigns, once; campaigns it made stay as they are', async () => {
    const h = campaignHarness();
    const t = await h.templates.create(monthly(), OPERATOR);
    await h.templates.deactivate(t.id, OPERATOR);
    expect(h.jobs.schedules.has(t.id)).toBe(false);
    expect((await h.templates.list()).map((x) => [x.id, x.active])).toEqual([[t.id, false]]);
    h.clock.set(new Date('2026-04-02T00:00:00Z'));
    expect(await h.templates.ensureCurrent(t.id)).toEqual({ outcome: 'inactive', campaignId: null });
    expect([...h.world.campaigns.values()].map((c) => c.status)).toEqual(['running']);

    await h.templates.deactivate(t.id, OPERATOR);
    expect(h.world.audit.actions().filter((a) => a === 'campaign-template.deactivated')).toHaveLength(1);
  });

  it('refuses an unknown template with TEMPLATE_NOT_FOUND', async () => {
    const h = campaignHarness();
    await expect(h.templates.deactivate('nope', OPERATOR)).rejects.toMatchObject({ code: 'TEMPLATE_NOT_FOUND', status: 404 });
    expect(h.world.audit.entries).toEqual([]);
  });
});
