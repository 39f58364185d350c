import { escapeHtml as e } from '../../shared/views/html.js';
import type { Consent } from '../../domain/consent/consent.js';
import type { RetentionEntry } from '../../domain/submissions/submission-query.service.js';
import type { Passport } from '../../domain/subjects/passport.js';
import type { Subject } from '../../domain/subjects/subject.js';
import type { LegalHold } from '../../domain/retention/legal-hold.js';
import { may, type PageContext } from '../layout.js';
import { dataTable } from './table.js';

export function subjectSearchPage(ctx: PageContext, notFound?: string): string {
  const { t, fmt } = ctx;
  return `<h1>${e(t.subjects)}</h1><form class="filters card" method="get" action="/dashboard/subjects">
<div><label for="ref">${e(t.pensionNumber)}</label><input id="ref" name="ref" required autofocus value="${e(notFound ?? '')}"></div>
<div><button type="submit">${e(t.find)}</button></div></form>${notFound ? `<p class="flash bad" role="alert">${e(fmt.error('SUBJECT_NOT_FOUND'))}</p>` : ''}`;
}

/** How long an item is kept, in words: "30 days after the decision", "until consent is withdrawn". */
function policyWords(ctx: PageContext, policy: string): string {
  const { t, fmt } = ctx;
  const days = /(\d+)d/.exec(policy);
  const hours = /(\d+)h/.exec(policy);
  let words = t.none_;
  if (policy === 'deleted-after-review') words = t.deletedAfterReview;
  else if (policy.startsWith('template-until-consent-withdrawn')) words = `${t.keptFor} ${t.untilConsentEnds}${days ? ` (≤ ${fmt.count(Number(days[1]), t.dayCount)})` : ''}`;
  else if (hours) words = `${t.keptFor} ${fmt.count(Number(hours[1]), t.hourCount)}`;
  else if (days) words = `${t.keptFor} ${fmt.count(Number(days[1]), t.dayCount)}${policy.includes('after-decision') ? ` ${t.deletedAfterDecision}` : ''}`;
  return `<span title="${e(policy)}">${e(words)}</span>`;
}

/** "staff:<id>(admin)" as a person's name (or who they are) and role; the raw label stays in a tooltip. */
export function actorWords(ctx: PageContext, label: string, names: ReadonlyMap<string, string>): string {
  const m = /^([a-z-]+):([^(]*)(?:\((.+)\))?$/.exec(label);
  if (!m) return `<span title="${e(label)}">${ctx.fmt.term('actorType', 'anonymous')}</span>`;
  const name = names.get(m[2]!);
  return `<span title="${e(label)}">${name ? e(name) : ctx.fmt.term('actorType', m[1])}</span>${m[3] ? ` (${ctx.fmt.term('role', m[3])})` : ''}`;
}

/** The staff ids named in actor labels, to look their names up. */
export const actorIds = (labels: readonly string[]): string[] => labels.map((l) => /^staff:([^(]*)/.exec(l)?.[1]).filter((id): id is string => Boolean(id));

export function subjectPage(ctx: PageContext, data: {
  subject: Subject; passport: Passport | null; consents: readonly Consent[]; retention: readonly (RetentionEntry & { submissionId: string | null })[];
  holds: readonly LegalHold[];
  /** Staff names by id, for who placed a hold. */
  names: ReadonlyMap<string, string>;
}): string {
  const { t, fmt } = ctx;
  const s = data.subject;
  const p = data.passport;
  const identity = `<table><tbody>
<tr><th>${e(t.pensionNumber)}</th><td>${e(s.ref)}</td></tr><tr><th>${e(t.status)}</th><td>${fmt.term('subjectStatus', s.status)}</td></tr>
${p ? `<tr><th>${fmt.term('field', 'number')}</th><td>${e(p.number)}</td></tr><tr><th>${e(t.fullName)}</th><td>${e(p.surname)} ${e(p.givenNames)}</td></tr>
<tr><th>${fmt.term('field', 'dateOfBirth')}</th><td>${e(fmt.date(p.dateOfBirth))}</td></tr><tr><th>${fmt.term('field', 'expiryDate')}</th><td>${e(fmt.date(p.expiryDate))}</td></tr>` : ''}
<tr><th>${e(t.language)}</th><td>${e(fmt.language(s.language))}</td></tr></tbody></table>`;
  const consents = dataTable([t.consentText, t.channel, t.signedAt, t.status], data.consents.map((c) => [
    `<span title="${e(c.textVersion)}">${e(fmt.language(c.language))}</span>`,
    fmt.term('channel', c.channel), e(fmt.dateTime(c.signedAt)),
    `${fmt.term('consentStatus', c.status)}${c.withdrawnAt ? ` ${e(fmt.dateTime(c.withdrawnAt))}` : ''}`,
  ]));
  const openCase = may(ctx, 'cases');
  const retention = dataTable([t.item, t.deleteAt, t.policy, ''], data.retention.filter((r) => !r.deletedAt).map((r) => [
    fmt.term('item', r.item),
    `${r.deleteAt ? e(fmt.dateTime(r.deleteAt)) : r.deleteCondition ? e(t.untilConsentEnds) : '—'}${r.onHold ? ` · <strong>${e(t.onHold)}</strong>` : ''}`,
    policyWords(ctx, r.policy),
    r.submissionId && openCase ? `<a href="/dashboard/cases/${e(r.submissionId)}">${e(t.open)}</a>` : '',
  ]));
  const holds = dataTable([t.reason, t.placedBy, t.when, t.released], data.holds.map((h) => [
    e(h.reason), actorWords(ctx, h.placedBy, data.names), e(fmt.dateTime(h.placedAt)), h.releasedAt ? e(fmt.dateTime(h.releasedAt)) : '—',
  ]));
  const report = may(ctx, 'accessReport')
    ? `<p><a href="/dashboard/subjects/${encodeURIComponent(s.ref)}/access-report">${e(t.accessReport)}</a></p>` : '';
  return `<h1>${e(t.subject)} ${e(s.ref)}</h1>
<section class="card"><h2>${e(t.identity)}</h2>${identity}${report}</section>
<section class="card"><h2>${e(t.consents)}</h2>${data.consents.length ? consents : `<p>${e(t.none_)}</p>`}</section>
<section class="card"><h2>${e(t.retention)}</h2>${retention}</section>
<section class="card"><h2>${e(t.holds)}</h2>${data.holds.length ? holds : `<p>${e(t.none_)}</p>`}</section>`;
}
