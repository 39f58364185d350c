import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../domain/audit/audit-entry.js';
import { StaffAuthService, type StaffPrincipal } from '../domain/staff/staff-auth.service.js';
import { DASHBOARD_LANGUAGES, DICTIONARY, type DashboardLanguage } from './i18n.js';
import { layout, type PageContext } from './layout.js';
import { escapeHtml as e } from '../shared/views/html.js';
import { formatterFor } from './format.js';

export const SESSION_COOKIE = 'zinda_session';
const LANG_COOKIE = 'zinda_lang';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export interface CookieSettings {
  /** Secure cookies (HTTPS only); off only for plain-HTTP development and tests on loopback. */
  readonly secure: boolean;
}

export function setCookie(res: Response, name: string, value: string, settings: CookieSettings, maxAgeSeconds?: number): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/dashboard', 'HttpOnly', 'SameSite=Strict'];
  if (settings.secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

/** Reads language and session for every dashboard request; `?lang=` switches and remembers the language. */
export function pageContext(auth: StaffAuthService, cookies: CookieSettings, timeZone: string): RequestHandler {
  return async (req, res, next) => {
    const jar = parseCookies(req.get('cookie'));
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    if (asked && (DASHBOARD_LANGUAGES as readonly string[]).includes(asked)) {
      setCookie(res, LANG_COOKIE, asked, cookies, 365 * 24 * 3600);
      const url = new URL(req.originalUrl, 'http://local');
      url.searchParams.delete('lang');
      res.redirect(303, url.pathname + url.search);
      return;
    }
    const fromCookie = jar[LANG_COOKIE];
    const lang: DashboardLanguage = fromCookie && (DASHBOARD_LANGUAGES as readonly string[]).includes(fromCookie)
      ? (fromCookie as DashboardLanguage)
      : (req.acceptsLanguages(...DASHBOARD_LANGUAGES) || 'tg') as DashboardLanguage;
    const token = jar[SESSION_COOKIE];
    const staff = token ? await auth.session(token) : null;
    const ctx: PageContext = { lang, t: DICTIONARY[lang], fmt: formatterFor(lang, timeZone), staff, path: req.originalUrl.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, '') };
    res.locals.page = ctx;
    res.locals.sessionToken = token;
    next();
  };
}

export const ctxOf = (res: Response): PageContext => res.locals.page as PageContext;

/** The signed-in staff member as the audit trail names them. */
export const actorOf = (s: StaffPrincipal): Actor & { id: string } => ({ type: 'staff', id: s.userId, role: s.role });

/** Signed-in staff with one of `roles`; everyone else is sent to sign in, or told their role does not allow it. */
export function requireStaff(roles: readonly StaffPrincipal['role'][]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const ctx = ctxOf(res);
    if (!ctx.staff) {
      if (req.method === 'GET') return res.redirect(303, `/dashboard/login?next=${encodeURIComponent(req.originalUrl)}`);
      // A form sent after the session ended: sign in again and land on the page the form was on.
      const back = `/dashboard/login?next=${encodeURIComponent(req.originalUrl.split('?')[0]!.replace(/\/[^/]+$/, ''))}`;
      return res.status(401).type('html').send(layout(ctx, ctx.t.signIn, `<h1>${e(ctx.t.signIn)}</h1><p>${e(ctx.t.sessionEnded)}</p><p><a class="button" href="${e(back)}">${e(ctx.t.signIn)}</a></p>`));
    }
    if (!roles.includes(ctx.staff.role)) {
      return res.status(403).type('html').send(layout(ctx, ctx.t.forbidden, `<h1>${e(ctx.t.forbidden)}</h1>`));
    }
    if (req.method === 'POST' && !StaffAuthService.csrfValid(ctx.staff, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      return res.status(403).type('html').send(layout(ctx, ctx.fmt.error('FORM_EXPIRED'), `<h1>${e(ctx.fmt.error('FORM_EXPIRED'))}</h1>`));
    }
    next();
  };
}
