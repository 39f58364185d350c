import { escapeHtml as e } from '../../shared/views/html.js';
import type { ChainVerdict } from '../../domain/audit/audit-chain.js';
import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { PageContext } from '../layout.js';
import { AUDIT_ACTION_PHRASES } from '../terms/audit-actions.js';
import { dataTable } from './table.js';

export interface AuditFilter { subject?: string; actor?: string; action?: string; from?: string; to?: string }

/** Details in words where their meaning is known (decisions, reasons, counts); the raw record stays in a tooltip. */
function details(ctx: PageContext, x: AuditEntry): string {
  const { fmt } = ctx;
  const d = x.details ?? {};
  const parts: string[] = [];
  if (typeof d.outcome === 'string') parts.push(fmt.term('outcome', d.outcome));
  if (typeof d.reasonCode === 'string') parts.push(fmt.reason(d.reasonCode));
  if (typeof d.decision === 'string') parts.push(fmt.term('decision', d.decision));
  if (typeof d.views === 'number') parts.push(`${e(fmt.count(d.views, ctx.t.faceCount))}`);
  if (typeof d.returned === 'number') parts.push(e(fmt.count(d.returned, ctx.t.entryCount)));
  if (typeof d.itemClass === 'string') parts.push(fmt.term('item', d.itemClass));
  const raw = JSON.stringify(d);
  return raw === '{}' ? '' : `<span class="details" title="${e(raw)}">${parts.join(' · ') || e(ctx.t.details)}</span>`;
}

export function auditPage(ctx: PageContext, data: {
  entries: readonly AuditEntry[]; alerts: readonly AuditEntry[]; verdict: ChainVerdict; filter: AuditFilter;
  /** Staff names by id, so that a row says who rather than an id. */
  names: ReadonlyMap<string, string>;
  /** The oldest seq shown when older entries exist (the "older" link continues below it). */
  olderBefore: number | null;
  /** Shown below a seq: a link back to the newest page. */
  paged: boolean;
}): string {
  const { t, fmt } = ctx;
  const v = data.verdict;
  const verdict = v.intact
    ? `<p class="flash ok" role="status">${e(t.chainIntact)} · ${e(fmt.count(v.entries, t.entryCount))}</p>`
    : `<p class="flash bad" role="alert">${e(t.chainBroken)} ${e(fmt.number(v.brokenAtSeq ?? 0))}</p>`;
  const who = (x: AuditEntry) => {
    const name = x.actor.id ? data.names.get(x.actor.id) : undefined;
    const role = x.actor.role ? ` (${fmt.term('role', x.actor.role)})` : '';
    return `<span title="${e(x.actor.type)}:${e(x.actor.id ?? '')}">${name ? e(name) : fmt.term('actorType', x.actor.type)}</span>${role}`;
  };
  const rows = (list: readonly AuditEntry[]) => list.map((x) => [
    e(fmt.number(x.seq)), e(fmt.dateTime(x.at)), who(x), fmt.action(x.action), fmt.term('auditOutcome', x.outcome),
    fmt.target(x.targetType ?? null), details(ctx, x),
  ]);
  const head = ['#', t.when, t.who, t.action, t.outcome, t.target, t.details];
  const f = data.filter;
  const actions = Object.keys(AUDIT_ACTION_PHRASES).map((a) =>
    `<option value="${e(a)}"${a === f.action ? ' selected' : ''}>${e(fmt.phrase(AUDIT_ACTION_PHRASES[a]!))}</option>`).join('');
  const query = (extra: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [k, val] of Object.entries({ ...f, ...extra })) if (val) q.set(k, val);
    return `/dashboard/audit?${q.toString()}`;
  };
  const pager = `<nav class="pager" aria-label="${e(t.pageWord)}">${data.paged ? `<a class="button secondary" href="${e(query({}))}">${e(t.newer)}</a>` : ''}${
    data.olderBefore !== null ? `<a class="button secondary" href="${e(query({ before: String(data.olderBefore) }))}">${e(t.older)}</a>` : ''}</nav>`;
  return `<h1>${e(t.audit)}</h1>${verdict}
<section class="card"><h2>${e(t.alerts)}</h2>${data.alerts.length ? dataTable(head, rows(data.alerts)) : `<p>${e(t.noAlerts)}</p>`}</section>
<form class="filters card" method="get" action="/dashboard/audit">
<div><label for="subject">${e(t.pensionNumber)}</label><input id="subject" name="subject" value="${e(f.subject ?? '')}"></div>
<div><label for="actor">${e(t.actor)}</label><input id="actor" name="actor" value="${e(f.actor ?? '')}"></div>
<div><label for="action">${e(t.action)}</label><select id="action" name="action"><option value="">${e(t.all)}</option>${actions}</select></div>
<div><label for="from">${e(t.from)}</label><input id="from" type="date" name="from" value="${e(f.from ?? '')}"></div>
<div><label for="to">${e(t.to)}</label><input id="to" type="date" name="to" value="${e(f.to ?? '')}"></div>
<div><button type="submit">${e(t.filter)}</button></div></form>
${data.entries.length ? dataTable(head, rows(data.entries)) : `<p class="card">${e(t.noEntries)}</p>`}${pager}`;
}
