import { escapeHtml as e } from '../../api/views/html.js';
import type { QueueEntry } from '../../storage/repositories/review.repository.js';
import type { PageContext } from '../layout.js';

export function queuePage(ctx: PageContext, data: {
  entries: readonly QueueEntry[]; counts: readonly { reason: string; count: number }[];
  filter: { reason?: string; region?: string; office?: string; from?: string; to?: string };
}): string {
  const { t } = ctx;
  const total = new Set(data.entries.map((x) => x.submissionId)).size;
  const reasons = data.counts.map((c) => `<option value="${e(c.reason)}" ${c.reason === data.filter.reason ? 'selected' : ''}>${e(c.reason)} (${c.count})</option>`).join('');
  const chips = data.counts.map((c) => `<a class="chip code" href="/dashboard/queue?reason=${encodeURIComponent(c.reason)}">${e(c.reason)}: ${c.count}</a>`).join('');
  const rows = data.entries.map((x) => `<tr>
<td><a href="/dashboard/subjects/${encodeURIComponent(x.subjectRef)}">${e(x.subjectRef)}</a></td><td>${e(x.kind)}</td>
<td class="code">${x.reasons.map(e).join('<br>')}</td><td>${x.similarity === null ? '—' : x.similarity.toFixed(2)}</td>
<td>${e([x.region, x.office].filter(Boolean).join(' · ') || '—')}</td>
<td>${e(x.completedAt.toISOString().slice(0, 16).replace('T', ' '))}</td><td>${e(x.claimedByName ?? '—')}</td>
<td><a class="button" href="/dashboard/cases/${e(x.submissionId)}">${e(t.open)}</a></td></tr>`).join('');
  return `<h1>${e(t.queue)}</h1><p class="muted">${total} ${e(t.waiting)} · ${e(t.oldestFirst)}</p>
<div class="chips">${chips}</div>
<form class="filters card" method="get" action="/dashboard/queue">
<div><label for="reason">${e(t.reason)}</label><select id="reason" name="reason"><option value="">${e(t.all)}</option>${reasons}</select></div>
<div><label for="region">${e(t.region)}</label><input id="region" name="region" value="${e(data.filter.region ?? '')}"></div>
<div><label for="office">${e(t.office)}</label><input id="office" name="office" value="${e(data.filter.office ?? '')}"></div>
<div><label for="from">${e(t.from)}</label><input id="from" type="date" name="from" value="${e(data.filter.from ?? '')}"></div>
<div><label for="to">${e(t.to)}</label><input id="to" type="date" name="to" value="${e(data.filter.to ?? '')}"></div>
<div><button type="submit">${e(t.filter)}</button></div></form>
${data.entries.length ? `<table><thead><tr><th>${e(t.subject)}</th><th>${e(t.kind)}</th><th>${e(t.reason)}</th><th>${e(t.score)}</th><th>${e(t.region)}</th><th>${e(t.received)}</th><th>${e(t.claimedBy)}</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>` : `<p class="card">${e(t.nothingWaiting)}</p>`}`;
}
