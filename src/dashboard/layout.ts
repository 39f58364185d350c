import { escapeHtml as e } from '../api/views/html.js';
import type { StaffPrincipal } from '../domain/staff/staff-auth.service.js';
import { DASHBOARD_LANGUAGES, type DashboardLanguage, type Words } from './i18n.js';

/** What every page knows: who is signed in, in which language, and the current path (for the language switch). */
export interface PageContext {
  readonly lang: DashboardLanguage;
  readonly t: Words;
  readonly staff: StaffPrincipal | null;
  readonly path: string;
}

const NAV: { href: string; key: 'queue' | 'subjects' | 'campaigns' | 'audit'; roles: readonly string[] }[] = [
  { href: '/dashboard/queue', key: 'queue', roles: ['reviewer', 'admin'] },
  { href: '/dashboard/subjects', key: 'subjects', roles: ['operator', 'reviewer', 'admin'] },
  { href: '/dashboard/campaigns', key: 'campaigns', roles: ['operator', 'admin'] },
  { href: '/dashboard/audit', key: 'audit', roles: ['auditor', 'admin'] },
];

/** The page shell: navigation by role, language switch (remembered in a cookie), sign-out with its CSRF token. */
export function layout(ctx: PageContext, title: string, body: string): string {
  const { t, staff } = ctx;
  const nav = staff ? NAV.filter((n) => n.roles.includes(staff.role)).map((n) => `<a href="${n.href}">${e(t[n.key])}</a>`).join('') : '';
  const langs = DASHBOARD_LANGUAGES.map((l) =>
    `<a href="${e(ctx.path)}${ctx.path.includes('?') ? '&' : '?'}lang=${l}" lang="${l}" ${l === ctx.lang ? 'aria-current="true"' : ''}>${l.toUpperCase()}</a>`).join('');
  const who = staff
    ? `<span class="who">${e(staff.displayName)} · ${e(staff.role)}</span>
       <form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="${e(staff.csrfToken)}"><button class="secondary" type="submit">${e(t.signOut)}</button></form>`
    : '';
  return `<!doctype html><html lang="${ctx.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)} · Zinda</title>
<link rel="stylesheet" href="/dashboard/assets/app.css"></head><body>
<header class="top"><a href="/dashboard">${e(t.appName)}</a><nav aria-label="main">${nav}</nav>
<span class="langs" aria-label="${e(t.language)}">${langs}</span>${who}</header>
<main id="main">${body}</main></body></html>`;
}

export function flash(kind: 'ok' | 'bad', text: string): string {
  return `<div class="flash ${kind}" role="status">${e(text)}</div>`;
}
