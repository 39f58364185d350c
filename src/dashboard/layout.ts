import { escapeHtml as e } from '../shared/views/html.js';
import type { StaffPrincipal } from '../domain/staff/staff-auth.service.js';
import type { Formatter } from './format.js';
import { DASHBOARD_LANGUAGES, type DashboardLanguage, type Words } from './i18n.js';

/** What every page knows: who is signed in, in which language, and the current path (for the language switch). */
export interface PageContext {
  readonly lang: DashboardLanguage;
  readonly t: Words;
  /** Numbers, dates (office time zone) and codes as words in `lang`. */
  readonly fmt: Formatter;
  readonly staff: StaffPrincipal | null;
  readonly path: string;
}

type Role = StaffPrincipal['role'];
const NAV: { href: string; key: 'queue' | 'subjects' | 'campaigns' | 'audit'; roles: readonly Role[] }[] = [
  { href: '/dashboard/queue', key: 'queue', roles: ['reviewer', 'admin'] },
  { href: '/dashboard/subjects', key: 'subjects', roles: ['operator', 'reviewer', 'admin'] },
  { href: '/dashboard/campaigns', key: 'campaigns', roles: ['operator', 'admin'] },
  { href: '/dashboard/audit', key: 'audit', roles: ['auditor', 'admin'] },
];

/** Who may open what: pages link only to what the signed-in role can use. */
export const ALLOWED = {
  cases: ['reviewer', 'admin'], subjects: ['operator', 'reviewer', 'admin'], accessReport: ['operator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export function may(ctx: PageContext, what: keyof typeof ALLOWED): boolean {
  return Boolean(ctx.staff && (ALLOWED[what] as readonly Role[]).includes(ctx.staff.role));
}

/** The page shell: skip link, navigation by role, language switch (remembered in a cookie), sign-out with its CSRF token. */
export function layout(ctx: PageContext, title: string, body: string): string {
  const { t, staff, fmt } = ctx;
  const here = ctx.path.split('?')[0];
  const nav = staff ? NAV.filter((n) => n.roles.includes(staff.role))
    .map((n) => `<a href="${n.href}"${here?.startsWith(n.href) ? ' aria-current="page"' : ''}>${e(t[n.key])}</a>`).join('') : '';
  const langs = DASHBOARD_LANGUAGES.map((l) =>
    `<a href="${e(ctx.path)}${ctx.path.includes('?') ? '&' : '?'}lang=${l}" lang="${l}" ${l === ctx.lang ? 'aria-current="true"' : ''}>${l.toUpperCase()}</a>`).join('');
  const who = staff
    ? `<span class="who">${e(staff.displayName)} · ${fmt.term('role', staff.role)}</span>
       <form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="${e(staff.csrfToken)}"><button class="secondary" type="submit">${e(t.signOut)}</button></form>`
    : '';
  return `<!doctype html><html lang="${ctx.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)} · Zinda</title>
<link rel="icon" href="/dashboard/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/assets/app.css"></head><body>
<a class="skip" href="#main">${e(t.skip)}</a>
<header class="top"><a class="home" href="/dashboard">${e(t.appName)}</a><nav aria-label="${e(t.mainMenu)}">${nav}</nav>
<span class="langs" role="group" aria-label="${e(t.language)}">${langs}</span>${who}</header>
<main id="main" tabindex="-1">${body}</main>
<footer class="muted">${e(t.timesIn)} ${e(fmt.zoneLabel)}</footer></body></html>`;
}

/** A message after an action; `focus` puts the keyboard there when the page opens (after a decision, a failure). */
export function flash(kind: 'ok' | 'bad', text: string, focus = false): string {
  return `<div class="flash ${kind}" role="${kind === 'bad' ? 'alert' : 'status'}"${focus ? ' tabindex="-1" autofocus' : ''}>${e(text)}</div>`;
}
