import { escapeHtml as e } from '../../shared/views/html.js';
import type { QueueEntry } from '../../domain/review/review-ports.js';
import type { PageContext } from '../layout.js';
import { dataTable } from './table.js';

/** A queue row with whether its claim still holds (a lapsed claim is shown as free). */
export type QueueRow = QueueEntry & { readonly claimLive: boolean };

export function queuePage(ctx: PageContext, data: {
  entries: readonly QueueRow[]; counts: readonly { reason: string; count: number }[];
  filter: { reason?: string; region?: string; office?: string; from?: string; to?: string };
}): string {
  const { t, fmt } = ctx;
  const total = new Set(data.entries.map((x) => x.submissionId)).size;
  const reasons = data.counts.map((c) => `<option value="${e(c.reason)}" ${c.reason === data.filter.reason ? 'selected' : ''}>${e(fmt.reasonText(c.reason))} (${fmt.number(c.count)})</option>`).join('');
  const chips = data.counts.map((c) => `<a class="chip" href="/dashboard/queue?reason=${encodeURIComponent(c.reason)}">${fmt.reason(c.reason)}: ${fmt.number(c.count)}</a>`).join('');
  const rows = data.entries.map((x) => [
    `<a href="/dashboard/subjects/${encodeURIComponent(x.subjectRef)}">${e(x.subjectRef)}</a>`,
    fmt.term('kind', x.kind),
    `<ul class="reasons">${x.reasons.map((r) => `<li>${fmt.reason(r)}</li>`).join('')}</ul>`,
    x.similarity === null ? '—' : fmt.number(x.similarity, 2),
    e([x.region, x.office].filter(Boolean).join(' · ') || '—'),
    e(fmt.dateTime(x.completedAt)),
    x.claimLive && x.claimedByName ? e(x.claimedByName) : '—',
    `<a class="button" href="/dashboard/cases/${e(x.submissionId)}">${e(t.open)}</a>`,
  ]);
  const head = [t.subject, t.kind, t.reason, t.score, t.region, t.received, t.claimedBy, ''];
  return `<h1>${e(t.queue)}</h1><p class="muted">${e(fmt.count(total, t.caseCount))} · ${e(t.oldestFirst)}</p>
<div class="chips">${chips}</div>
<form class="filters card" method="get" action="/dashboard/queue">
<div><label for="reason">${e(t.reason)}</label><select id="reason" name="reason"><option value="">${e(t.all)}</option>${reasons}</select></div>
<div><label for="region">${e(t.region)}</label><input id="region" name="region" value="${e(data.filter.region ?? '')}"></div>
<div><label for="office">${e(t.office)}</label><input id="office" name="office" value="${e(data.filter.office ?? '')}"></div>
<div><label for="from">${e(t.from)}</label><input id="from" type="date" name="from" value="${e(data.filter.from ?? '')}"></div>
<div><label for="to">${e(t.to)}</label><input id="to" type="date" name="to" value="${e(data.filter.to ?? '')}"></div>
<div><button type="submit">${e(t.filter)}</button></div></form>
${data.entries.length ? dataTable(head, rows) : `<p class="card">${e(t.nothingWaiting)}</p>`}`;
}
