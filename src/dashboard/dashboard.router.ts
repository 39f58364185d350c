import express, { type Request, type Response, type Router } from 'express';
import { escapeHtml as e } from '../shared/views/html.js';
import { sendAccessReport } from '../shared/views/access-report.view.js';
import type { AuditService } from '../domain/audit/audit.service.js';
import type { CampaignService } from '../domain/campaigns/campaign.service.js';
import type { ConsentService } from '../domain/consent/consent.service.js';
import type { RetentionQueryService } from '../domain/retention/retention-query.service.js';
import type { AccessReportService } from '../domain/rights/access-report.service.js';
import type { StaffAuthService } from '../domain/staff/staff-auth.service.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { randomBytes } from 'node:crypto';
import { APP_CSS } from './assets/app-css.js';
import { FAVICON_SVG } from './assets/favicon.js';
import { mountCaseRoutes, type CaseRouteDeps } from './case.routes.js';
import { layout } from './layout.js';
import { day, str } from './params.js';
import { auditPage } from './pages/audit.page.js';
import { campaignsPage } from './pages/campaigns.page.js';
import { loginPage } from './pages/login.page.js';
import { actorIds, subjectPage, subjectSearchPage } from './pages/subject.page.js';
import { actorOf, ctxOf, pageContext, parseCookies, requireStaff, SESSION_COOKIE, setCookie } from './session.js';

export interface DashboardDeps extends CaseRouteDeps {
  readonly auth: StaffAuthService;
  readonly consents: ConsentService;
  readonly retentionQuery: RetentionQueryService;
  readonly audit: AuditService;
  readonly reports: AccessReportService;
  /** Campaign progress (absent: no campaigns page). */
  readonly campaigns?: Pick<CampaignService, 'list' | 'progress'>;
  readonly sessionMaxAgeSeconds: number;
  /** IANA zone every time on the pages is shown in (OFFICE_TIME_ZONE). */
  readonly officeTimeZone: string;
}

const LOGIN_CSRF = 'zinda_login_csrf';
const AUDIT_PAGE = 100;
const page = (res: Response, status: number, title: string, body: string) => res.status(status).type('html').send(layout(ctxOf(res), title, body));

/** The pension-office dashboard: server-rendered pages under /dashboard, sessions in cookies, every face view audited. */
export function createDashboard(deps: DashboardDeps): Router {
  const r = express.Router();
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  r.get('/assets/app.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('css').send(APP_CSS);
  });
  r.get('/assets/favicon.svg', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  r.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));
  r.use(pageContext(deps.auth, deps.cookies, deps.officeTimeZone));

  r.get('/', (_req, res) => {
    const staff = ctxOf(res).staff;
    if (!staff) return res.redirect(303, '/dashboard/login');
    res.redirect(303, staff.role === 'auditor' ? '/dashboard/audit' : staff.role === 'operator' ? '/dashboard/subjects' : '/dashboard/queue');
  });

  r.get('/login', (req, res) => {
    const csrf = randomBytes(18).toString('base64url');
    setCookie(res, LOGIN_CSRF, csrf, deps.cookies, 600);
    const next = str(req.query.next) ?? '/dashboard';
    page(res, 200, ctxOf(res).t.signIn, loginPage(ctxOf(res), { csrf, next: next.startsWith('/dashboard') ? next : '/dashboard', kept: req.query.kept === '1' }));
  });

  r.post('/login', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const cookieCsrf = parseCookies(req.get('cookie'))[LOGIN_CSRF];
    const next = str(body.next)?.startsWith('/dashboard') ? str(body.next)! : '/dashboard';
    const fresh = randomBytes(18).toString('base64url');
    if (!cookieCsrf || cookieCsrf !== body._csrf) {
      setCookie(res, LOGIN_CSRF, fresh, deps.cookies, 600);
      return page(res, 403, ctxOf(res).t.signIn, loginPage(ctxOf(res), { csrf: fresh, next, error: 'expired' }));
    }
    const result = await deps.auth.login(str(body.username) ?? '', typeof body.password === 'string' ? body.password : '', req.ip ?? null);
    if (!result.ok) {
      setCookie(res, LOGIN_CSRF, fresh, deps.cookies, 600);
      return page(res, 401, ctxOf(res).t.signIn, loginPage(ctxOf(res), { csrf: fresh, next, error: result.reason }));
    }
    setCookie(res, SESSION_COOKIE, result.token, deps.cookies, deps.sessionMaxAgeSeconds);
    setCookie(res, LOGIN_CSRF, '', deps.cookies, 0);
    res.redirect(303, next);
  });

  r.post('/logout', requireStaff(['reviewer', 'operator', 'auditor', 'admin']), async (_req, res) => {
    const token = res.locals.sessionToken as string | undefined;
    if (token) await deps.auth.logout(token);
    setCookie(res, SESSION_COOKIE, '', deps.cookies, 0);
    res.redirect(303, '/dashboard/login');
  });

  mountCaseRoutes(r, deps);

  r.get('/subjects', requireStaff(['operator', 'reviewer', 'admin']), async (req, res) => {
    const ref = str(req.query.ref);
    if (ref) return res.redirect(303, `/dashboard/subjects/${encodeURIComponent(ref)}`);
    page(res, 200, ctxOf(res).t.subjects, subjectSearchPage(ctxOf(res)));
  });

  r.get('/subjects/:ref', requireStaff(['operator', 'reviewer', 'admin']), async (req, res) => {
    const ref = String(req.params.ref);
    const subject = await deps.subjects.get(ref).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!subject) return page(res, 404, ctxOf(res).t.subjects, subjectSearchPage(ctxOf(res), ref));
    const [passport, consents, retention] = await Promise.all([
      subject.status === 'erased' ? null : deps.subjects.passport(subject), deps.consents.list(subject), deps.retentionQuery.forSubject(subject),
    ]);
    const names = await deps.auth.displayNames(actorIds(retention.holds.map((h) => h.placedBy)));
    page(res, 200, `${ctxOf(res).t.subject} ${ref}`, subjectPage(ctxOf(res), { subject, passport, consents, retention: retention.items, holds: retention.holds, names }));
  });

  r.get('/subjects/:ref/access-report', requireStaff(['operator', 'admin']), async (req, res) => {
    const subject = await deps.subjects.get(String(req.params.ref));
    const report = await deps.reports.build(subject, undefined, actorOf(ctxOf(res).staff!));
    sendAccessReport(res, report);
  });

  r.get('/campaigns', requireStaff(['operator', 'admin']), async (_req, res) => {
    const list = deps.campaigns ? await deps.campaigns.list({ limit: 50 }) : [];
    const progress = await Promise.all(list.map((c) => deps.campaigns!.progress(c.id)));
    page(res, 200, ctxOf(res).t.campaigns, campaignsPage(ctxOf(res), progress));
  });

  // Newest first, a page at a time (older pages by seq), the filters kept in every link.
  r.get('/audit', requireStaff(['auditor', 'admin']), async (req: Request, res) => {
    const filter = { subject: str(req.query.subject), actor: str(req.query.actor), action: str(req.query.action), from: str(req.query.from), to: str(req.query.to) };
    const before = /^\d{1,15}$/.test(str(req.query.before) ?? '') ? Number(req.query.before) : undefined;
    const subject = filter.subject ? await deps.subjects.get(filter.subject).catch(() => null) : undefined;
    const actorId = filter.actor ? (await deps.auth.idOf(filter.actor)) ?? filter.actor : undefined;
    const none = Boolean(filter.subject && !subject);
    const [found, alerts, verdict] = await Promise.all([
      none ? Promise.resolve([]) : deps.audit.find({
        subjectId: subject?.id, actorId, action: filter.action, from: day(filter.from), to: day(filter.to, 86_400_000),
        beforeSeq: before, newestFirst: true, limit: AUDIT_PAGE + 1,
      }),
      deps.audit.find({ action: 'alert.unusual-access', newestFirst: true, limit: 20 }),
      deps.audit.verifyChain(),
    ]);
    const entries = found.slice(0, AUDIT_PAGE);
    const names = await deps.auth.displayNames([...entries, ...alerts].flatMap((x) => [x.actor.id, x.targetType === 'actor' ? x.targetId : null])
      .filter((id): id is string => Boolean(id)));
    await deps.audit.record({ actor: actorOf(ctxOf(res).staff!), action: 'audit.read', outcome: 'success', details: { returned: entries.length } });
    page(res, 200, ctxOf(res).t.audit, auditPage(ctxOf(res), {
      entries, alerts, verdict, filter, names, paged: before !== undefined,
      olderBefore: found.length > AUDIT_PAGE ? entries[entries.length - 1]!.seq : null,
    }));
  });

  // Any other path under /dashboard: a page in the reader's language, not the API's JSON.
  r.use((_req, res) => {
    const { t, fmt } = ctxOf(res);
    page(res, 404, t.notFoundPage, `<h1>${e(t.notFoundPage)}</h1><p>${e(fmt.error('PAGE_NOT_FOUND'))}</p><p><a class="button" href="/dashboard">${e(t.appName)}</a></p>`);
  });

  r.use((err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent || !res.locals.page) return next(err);
    if (err instanceof AppError && err.status < 500) {
      const { fmt } = ctxOf(res);
      return page(res, err.status, fmt.error(err.code), `<h1 title="${e(err.code)}">${e(fmt.error(err.code))}</h1><p><a class="button" href="/dashboard">${e(ctxOf(res).t.appName)}</a></p>`);
    }
    next(err);
  });
  return r;
}
