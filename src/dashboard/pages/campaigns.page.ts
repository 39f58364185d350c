import { escapeHtml as e } from '../../api/views/html.js';
import type { CampaignService } from '../../domain/campaigns/campaign.service.js';
import type { PageContext } from '../layout.js';

type Progress = Awaited<ReturnType<CampaignService['progress']>>;

/** Campaign progress for operators: state counts and a progress bar per campaign. */
export function campaignsPage(ctx: PageContext, campaigns: readonly Progress[]): string {
  const { t } = ctx;
  const cards = campaigns.map((p) => {
    const c = p.campaign;
    const counts = Object.entries(p.counts).map(([state, n]) => `<span class="chip"><span class="code">${e(state)}</span>: ${n}</span>`).join('');
    return `<section class="card"><h2>${e(c.name)} <span class="muted">· ${e(c.status)}</span></h2>
<p>${e(t.dueAt)}: ${e(c.dueAt.toISOString().slice(0, 10))} · ${e(t.closesAt)}: ${e(p.closesAt.toISOString().slice(0, 10))}</p>
<p><label for="p-${e(c.id)}">${e(t.progress)}: ${p.done} / ${p.total} (${p.percentDone} %)</label>
<progress id="p-${e(c.id)}" max="${Math.max(1, p.total)}" value="${p.done}">${p.percentDone} %</progress></p>
<div class="chips">${counts}</div></section>`;
  }).join('');
  return `<h1>${e(t.campaigns)}</h1>${cards || `<p class="card">${e(t.none_)}</p>`}`;
}
