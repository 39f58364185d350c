import { escapeHtml as e } from '../../api/views/html.js';
import type { Consent } from '../../domain/consent/consent.js';
import type { RetentionEntry } from '../../domain/submissions/submission-view.js';
import type { Passport } from '../../domain/subjects/passport.js';
import type { Subject } from '../../domain/subjects/subject.js';
import type { LegalHold } from '../../storage/repositories/legal-hold.repository.js';
import type { PageContext } from '../layout.js';

export function subjectSearchPage(ctx: PageContext, notFound?: string): string {
  const { t } = ctx;
  return `<h1>${e(t.subjects)}</h1><form class="filters card" method="get" action="/dashboard/subjects">
<div><label for="ref">${e(t.pensionNumber)}</label><input id="ref" name="ref" required autofocus value="${e(notFound ?? '')}"></div>
<div><button type="submit">${e(t.find)}</button></div></form>${notFound ? `<p class="flash bad">404: ${e(notFound)}</p>` : ''}`;
}

export function subjectPage(ctx: PageContext, data: {
  subject: Subject; passport: Passport | null; consents: readonly Consent[]; retention: readonly (RetentionEntry & { submissionId: string | null })[];
  holds: readonly LegalHold[];
}): string {
  const { t } = ctx;
  const s = data.subject;
  const p = data.passport;
  const identity = `<table><tbody>
<tr><th>${e(t.pensionNumber)}</th><td>${e(s.ref)}</td></tr><tr><th>${e(t.status)}</th><td>${e(s.status)}</td></tr>
${p ? `<tr><th>Passport</th><td>${e(p.number)}</td></tr><tr><th>Name</th><td>${e(p.surname)} ${e(p.givenNames)}</td></tr>
<tr><th>Born</th><td>${e(p.dateOfBirth)}</td></tr><tr><th>Expiry</th><td>${e(p.expiryDate)}</td></tr>` : ''}
<tr><th>${e(t.language)}</th><td>${e(s.language)}</td></tr></tbody></table>`;
  const consents = data.consents.map((c) => `<tr><td>${e(c.textVersion)} (${e(c.language)})</td><td>${e(c.channel)}</td><td>${e(c.signedAt.toISOString())}</td>
<td>${e(c.status)}${c.withdrawnAt ? ` ${e(c.withdrawnAt.toISOString())}` : ''}</td></tr>`).join('');
  const retention = data.retention.filter((r) => !r.deletedAt).map((r) => `<tr><td>${e(r.item)}${r.role ? ` (${e(r.role)})` : ''}</td>
<td>${e(r.deleteAt ?? r.deleteCondition ?? '—')}${r.onHold ? ` · <strong>${e(t.onHold)}</strong>` : ''}</td><td class="code">${e(r.policy)}</td>
<td>${r.submissionId ? `<a href="/dashboard/cases/${e(r.submissionId)}">${e(t.open)}</a>` : ''}</td></tr>`).join('');
  const holds = data.holds.map((h) => `<tr><td>${e(h.reason)}</td><td>${e(h.placedBy)}</td><td>${e(h.placedAt.toISOString())}</td><td>${e(h.releasedAt?.toISOString() ?? '—')}</td></tr>`).join('');
  return `<h1>${e(t.subject)} ${e(s.ref)}</h1>
<section class="card"><h2>${e(t.identity)}</h2>${identity}
<p><a href="/dashboard/subjects/${encodeURIComponent(s.ref)}/access-report">${e(t.accessReport)}</a></p></section>
<section class="card"><h2>${e(t.consents)}</h2><table><tbody>${consents || `<tr><td>${e(t.none_)}</td></tr>`}</tbody></table></section>
<section class="card"><h2>${e(t.retention)}</h2><table><thead><tr><th>${e(t.item)}</th><th>${e(t.deleteAt)}</th><th>${e(t.policy)}</th><th></th></tr></thead>
<tbody>${retention}</tbody></table></section>
<section class="card"><h2>${e(t.holds)}</h2><table><tbody>${holds || `<tr><td>${e(t.none_)}</td></tr>`}</tbody></table></section>`;
}
