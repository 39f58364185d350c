import { escapeHtml as e } from '../../api/views/html.js';
import type { ChainVerdict } from '../../domain/audit/audit-chain.js';
import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { PageContext } from '../layout.js';

export function auditPage(ctx: PageContext, data: {
  entries: readonly AuditEntry[]; alerts: readonly AuditEntry[]; verdict: ChainVerdict;
  filter: { subject?: string; actor?: string; action?: string; from?: string; to?: string };
}): string {
  const { t } = ctx;
  const v = data.verdict;
  const verdict = v.intact
    ? `<p class="flash ok" role="status">${e(t.chainIntact)} · ${v.entries} ${e(t.entries)}</p>`
    : `<p class="flash bad" role="alert">${e(t.chainBroken)} ${v.brokenAtSeq}: ${e(v.problem)}</p>`;
  const row = (x: AuditEntry) => `<tr><td>${x.seq}</td><td>${e(x.at.toISOString().replace('T', ' ').slice(0, 19))}</td>
<td>${e(x.actor.type)}:${e(x.actor.id ?? '')}${x.actor.role ? ` (${e(x.actor.role)})` : ''}</td><td class="code">${e(x.action)}</td>
<td>${e(x.outcome)}</td><td class="code">${e(x.targetType ?? '')} ${e(x.targetId ?? '')}</td><td class="code">${e(JSON.stringify(x.details ?? {}))}</td></tr>`;
  const head = `<thead><tr><th>#</th><th>${e(t.when)}</th><th>${e(t.actor)}</th><th>${e(t.action)}</th><th>${e(t.outcome)}</th><th>${e(t.target)}</th><th></th></tr></thead>`;
  const f = data.filter;
  return `<h1>${e(t.audit)}</h1>${verdict}
<section class="card"><h2>${e(t.alerts)}</h2>${data.alerts.length ? `<table>${head}<tbody>${data.alerts.map(row).join('')}</tbody></table>` : `<p>${e(t.noAlerts)}</p>`}</section>
<form class="filters card" method="get" action="/dashboard/audit">
<div><label for="subject">${e(t.pensionNumber)}</label><input id="subject" name="subject" value="${e(f.subject ?? '')}"></div>
<div><label for="actor">${e(t.actor)}</label><input id="actor" name="actor" value="${e(f.actor ?? '')}"></div>
<div><label for="action">${e(t.action)}</label><input id="action" name="action" value="${e(f.action ?? '')}"></div>
<div><label for="from">${e(t.from)}</label><input id="from" type="date" name="from" value="${e(f.from ?? '')}"></div>
<div><label for="to">${e(t.to)}</label><input id="to" type="date" name="to" value="${e(f.to ?? '')}"></div>
<div><button type="submit">${e(t.filter)}</button></div></form>
<table>${head}<tbody>${data.entries.map(row).join('')}</tbody></table>`;
}
