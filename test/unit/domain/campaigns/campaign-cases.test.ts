import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../../src/domain/campaigns/campaign.js';
import type { OverdueExporter } from '../../../../src/domain/campaigns/overdue-export.js';
import { OPERATOR, campaignHarness } from './campaign-harness.js';

async function text(exporter: OverdueExporter, campaign: Campaign, format: 'csv' | 'json'): Promise<string> {
  let out = '';
  for await (const chunk of exporter.export(campaign, format, OPERATOR)) out += chunk;
  return out;
}

/** A closed campaign with s-1 verified and s-2, s-3 overdue. */
async function closedCampaign(opts: { paymentUrl?: string | null } = {}) {
  const h = campaignHarness(opts);
  h.subjects(3);
  const c = await h.started();
  h.decide('s-1', 'verified');
  h.clock.advanceDays(35);
  await h.runner.run(c.id, 'close');
  return { h, c: await h.campaigns.get(c.id) };
}

describe('an operator closes a case', () => {
  it('exempts an overdue member with the reason kept out of the audit trail, and clears the payment', async () => {
    const { h, c } = await closedCampaign();
    expect(await h.resolution.close(c.id, 'PN-2', 'exempt', 'in hospital since January', OPERATOR)).toEqual({ from: 'overdue', to: 'exempt' });
    expect(h.world.member(c.id, 's-2')).toMatchObject({ state: 'exempt', resolvedBy: 'staff:op-1(operator)', resolutionReason: 'in hospital since January' });
    expect(h.kinds(c.id)).toContain('s-2:payment-cleared:pending');
    const entry = h.world.audit.entries.at(-1)!;
    expect(entry).toMatchObject({ action: 'campaign.case-closed', subjectId: 's-2', details: { from: 'overdue', to: 'exempt' } });
    expect(JSON.stringify(entry)).not.toContain('hospital');
  });

  it('keeps an operator\'s decision final: a later rejection does not make the member overdue again', async () => {
    const { h, c } = await closedCampaign();
    await h.resolution.close(c.id, 'PN-3', 'verified_in_person', 'seen at the office', OPERATOR);
    await h.reconciler.onSubmissionDecided(h.decide('s-3', 'rejected'));
    expect(h.states(c.id)['s-3']).toBe('verified_in_person');
    await expect(h.resolution.close(c.id, 'PN-3', 'exempt', 'again', OPERATOR))
      .rejects.toMatchObject({ code: 'CASE_ALREADY_CLOSED', status: 409, details: { state: 'verified_in_person' } });
  });

  it('refuses a member who proved life, a subject not in the campaign, an unknown subject, and a campaign not under way', async () => {
    const { h, c } = await closedCampaign();
    await expect(h.resolution.close(c.id, 'PN-1', 'exempt', 'x', OPERATOR)).rejects.toMatchObject({ code: 'ALREADY_VERIFIED' });
    h.world.addSubject('s-9', 'PN-9');
    await expect(h.resolution.close(c.id, 'PN-9', 'exempt', 'x', OPERATOR)).rejects.toMatchObject({ code: 'SUBJECT_NOT_IN_CAMPAIGN', status: 404 });
    await expect(h.resolution.close(c.id, 'PN-404', 'exempt', 'x', OPERATOR)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    await expect(h.resolution.close('nope', 'PN-2', 'exempt', 'x', OPERATOR)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    const draft = await h.campaigns.create(h.input(), OPERATOR);
    await expect(h.resolution.close(draft.id, 'PN-2', 'exempt', 'x', OPERATOR))
      .rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ACTIVE', details: { status: 'draft' } });
  });

  it('sends no payment message when no payment system is configured', async () => {
    const { h, c } = await closedCampaign({ paymentUrl: null });
    await h.resolution.close(c.id, 'PN-2', 'exempt', 'moved abroad', OPERATOR);
    expect(h.kinds(c.id).filter((k) => k.includes('payment'))).toEqual([]);
  });
});

describe('the overdue export', () => {
  it('lists overdue members as CSV page by page, defuses spreadsheet formulas, and audits who took how many rows', async () => {
    const { h, c } = await closedCampaign();
    h.world.attributes.set('s-3', { region: '=HYPERLINK("x")', office: 'KH, 2', birthYear: null, updatedAt: h.clock.now(), updatedBy: 'staff:op-1(operator)' });
    const lines = (await text(h.exporter, c, 'csv')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('pension_number,campaign_id,state,due_at,closes_at,overdue_since,last_decision,region,office');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['PN-2', 'PN-3']);
    expect(lines[2]).toContain(`'=HYPERLINK(""x"")`);
    expect(lines[2]).toContain('"KH, 2"');
    expect(h.world.audit.entries.at(-1)).toMatchObject({
      action: 'campaign.overdue-exported', actor: OPERATOR, targetId: c.id, details: { format: 'csv', state: 'overdue', rows: 2 },
    });
  });

  it('gives the same list as one JSON document', async () => {
    const { h, c } = await closedCampaign();
    const doc = JSON.parse(await text(h.exporter, c, 'json')) as { campaignId: string; state: string; subjects: { pension_number: string; state: string }[] };
    expect(doc).toMatchObject({ campaignId: c.id, state: 'overdue' });
    expect(doc.subjects.map((s) => [s.pension_number, s.state])).toEqual([['PN-2', 'overdue'], ['PN-3', 'overdue']]);
  });
});

describe('subject attributes', () => {
  it('sets a subject\'s cohort attributes, auditing which fields were given (not their values)', async () => {
    const h = campaignHarness();
    h.subjects(1);
    const set = await h.attributes.set('PN-1', { region: 'SUGHD', office: null, birthYear: 1951 }, OPERATOR);
    expect(set).toMatchObject({ region: 'SUGHD', birthYear: 1951, updatedBy: 'staff:op-1(operator)' });
    expect(await h.attributes.get('PN-1')).toEqual(set);
    const entry = h.world.audit.entries.at(-1)!;
    expect(entry).toMatchObject({ action: 'subject.attributes-set', subjectId: 's-1', details: { fields: ['region', 'birthYear'] } });
    expect(JSON.stringify(entry)).not.toContain('SUGHD');
    await expect(h.attributes.set('PN-404', { region: null, office: null, birthYear: null }, OPERATOR)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    await expect(h.attributes.get('PN-404')).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
  });
});
