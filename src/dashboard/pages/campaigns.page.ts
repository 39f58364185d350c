import { escapeHtml as e } from '../../shared/views/html.js';
import type { CampaignService } from '../../domain/campaigns/campaign.service.js';
import type { PageContext } from '../layout.js';

type Progress = Awaited<ReturnType<CampaignService['progress']>>;

/** Campaign progress for operators: state counts and a progress bar per campaign. */
export function campaignsPage(ctx: PageContext, campaigns: readonly Progress[]): string {
  const { t, fmt } = ctx;
  const cards = campaigns.map((p) => {
    const c = p.campaign;
    const counts = Object.entries(p.counts).map(([state, n]) => `<span class="chip">${fmt.term('memberState', state)}: ${e(fmt.number(n))}</span>`).join('');
    return `<section class="card"><h2>${e(c.name)} <span class="muted">· ${fmt.term('campaignStatus', c.status)}</span></h2>
<p>${e(t.dueAt)}: ${e(fmt.dateTime(c.dueAt))} · ${e(t.closesAt)}: ${e(fmt.dateTime(p.closesAt))}</p>
<p><label for="p-${e(c.id)}">${e(t.progress)}: ${p.done} / ${p.total} (${e(fmt.number(p.percentDone))} %)</label>
<progress id="p-${e(c.id)}" max="${Math.max(1, p.total)}" value="${p.done}">${p.percentDone} %</progress></p>
<div class="chips">${counts}</div></section>`;
  }).join('');
  return `<h1>${e(t.campaigns)}</h1>${cards || `<p class="card">${e(t.none_)}</p>`}`;
}
