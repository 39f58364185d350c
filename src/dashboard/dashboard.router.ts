import express, { type Request, type Response, type Router } from 'express';
import { escapeHtml as e } from '../api/views/html.js';
import { renderAccessReport } from '../api/views/access-report.view.js';
import type { Actor } from '../domain/audit/audit-entry.js';
import type { AuditService } from '../domain/audit/audit.service.js';
import type { CampaignService } from '../domain/campaigns/campaign.service.js';
import type { ConsentService } from '../domain/consent/consent.service.js';
import type { RetentionQueryService } from '../domain/retention/retention-query.service.js';
import type { CaseService } from '../domain/review/case.service.js';
import type { ImageAccessService } from '../domain/review/image-access.service.js';
import type { ReviewOutcome, ReviewService } from '../domain/review/review.service.js';
import type { AccessReportService } from '../domain/rights/access-report.service.js';
import type { StaffAuthService, StaffPrincipal } from '../domain/staff/staff-auth.service.js';
import type { SubjectService } from '../domain/subjects/subject.service.js';
import { watermark } from '../images/watermark.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { randomBytes } from 'node:crypto';
import { APP_CSS } from './assets/app-css.js';
import { layout } from './layout.js';
import { auditPage } from './pages/audit.page.js';
import { campaignsPage } from './pages/campaigns.page.js';
import { casePage } from './pages/case.page.js';
import { loginPage } from './pages/login.page.js';
import { queuePage } from './pages/queue.page.js';
import { subjectPage, subjectSearchPage } from './pages/subject.page.js';
import { ctxOf, pageContext, parseCookies, requireStaff, SESSION_COOKIE, setCookie, type CookieSettings } from './session.js';

export interface DashboardDeps {
  readonly auth: StaffAuthService;
  readonly review: ReviewService;
  readonly cases: CaseService;
  readonly images: ImageAccessService;
  readonly subjects: SubjectService;
  readonly consents: ConsentService;
  readonly timers: RetentionQueryService;
  readonly audit: AuditService;
  readonly reports: AccessReportService;
  /** Campaign progress (absent: no campaigns page). */
  readonly campaigns?: Pick<CampaignService, 'list' | 'progress'>;
  readonly cookies: CookieSettings;
  readonly watermark: boolean;
  readonly sessionMaxAgeSeconds: number;
}

const LOGIN_CSRF = 'zinda_login_csrf';
const actorOf = (s: StaffPrincipal): Actor & { id: string } => ({ type: 'staff', id: s.userId, role: s.role });
const page = (res: Response, status: number, title: string, body: string) => res.status(status).type('html').send(layout(ctxOf(res), title, body));
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  r.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));
  r.use(pageContext(deps.auth, deps.cookies));

  r.get('/', (_req, res) => {
    const staff = ctxOf(res).staff;
    if (!staff) return res.redirect(303, '/dashboard/login');
    res.redirect(303, staff.role === 'auditor' ? '/dashboard/audit' : staff.role === 'operator' ? '/dashboard/subjects' : '/dashboard/queue');
  });

  r.get('/login', (req, res) => {
    const csrf = randomBytes(18).toString('base64url');
    setCookie(res, LOGIN_CSRF, csrf, deps.cookies, 600);
    const next = str(req.query.next) ?? '/dashboard';
    page(res, 200, ctxOf(res).t.signIn, loginPage(ctxOf(res), { csrf, next: next.startsWith('/dashboard') ? next : '/dashboard' }));
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

  r.get('/queue', requireStaff(['reviewer', 'admin']), async (req, res) => {
    const filter = { reason: str(req.query.reason), region: str(req.query.region), office: str(req.query.office), from: str(req.query.from), to: str(req.query.to) };
    const day = (d?: string, plus = 0) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(Date.parse(`${d}T00:00:00Z`) + plus) : undefined);
    const [entries, counts] = await Promise.all([
      deps.review.queue({ reason: filter.reason, region: filter.region, office: filter.office, from: day(filter.from), to: day(filter.to, 86_400_000), limit: 200 }),
      deps.review.counts(),
    ]);
    page(res, 200, ctxOf(res).t.queue, queuePage(ctxOf(res), { entries, counts, filter }));
  });

  const showCase = async (res: Response, id: string, status = 200, notice?: string, error?: string) => {
    if (!UUID.test(id)) throw new NotFoundError('CASE_NOT_FOUND', 'No such case.');
    const file = await deps.cases.get(id);
    page(res, status, `${ctxOf(res).t.caseTitle} ${file.view.subjectId}`, casePage(ctxOf(res), file, { notice, error }));
  };

  r.get('/cases/:id', requireStaff(['reviewer', 'admin']), async (req, res) => showCase(res, String(req.params.id)));

  r.post('/cases/:id/claim', requireStaff(['reviewer', 'admin']), async (req, res) => {
    const id = String(req.params.id);
    try {
      await deps.review.claim(id, actorOf(ctxOf(res).staff!));
      res.redirect(303, `/dashboard/cases/${id}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await showCase(res, id, error.status, undefined, error.message);
    }
  });

  r.post('/cases/:id/decision', requireStaff(['reviewer', 'admin']), async (req, res) => {
    const id = String(req.params.id);
    const staff = ctxOf(res).staff!;
    const [outcome, reasonCode] = String((req.body as Record<string, unknown>).decision ?? '').split(':');
    const comment = String((req.body as Record<string, unknown>).comment ?? '').slice(0, 1000);
    try {
      await deps.review.decide(id, actorOf(staff), staff.displayName, { outcome: outcome as ReviewOutcome, reasonCode: reasonCode ?? '', comment });
      await showCase(res, id, 200, ctxOf(res).t.decided);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await showCase(res, id, error.status, undefined, error.message);
    }
  });

  const IMAGE_ROLE = /^(selfie|document|frame-\d{2})$/;
  // Images only through a signed-in session, never cached, each view audited and watermarked with the viewer.
  r.get('/cases/:id/images/:submissionId/:role', requireStaff(['reviewer', 'admin']), async (req, res) => {
    const { id, submissionId, role } = req.params as Record<string, string>;
    if (!UUID.test(id!) || !UUID.test(submissionId!) || !IMAGE_ROLE.test(role!) || !(await deps.cases.imageBelongsToCase(id!, submissionId!))) {
      throw new NotFoundError('IMAGE_NOT_FOUND', 'No such image on this case.');
    }
    const staff = ctxOf(res).staff!;
    let image = await deps.images.view(submissionId!, role!, actorOf(staff));
    if (deps.watermark) image = await watermark(image, `${ctxOf(res).t.watermark}: ${staff.username} · ${new Date().toISOString().slice(0, 16)}Z`);
    res.setHeader('Cache-Control', 'no-store, private');
    res.type('jpeg').send(image);
  });

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
    const [passport, consents, timers] = await Promise.all([
      subject.status === 'erased' ? null : deps.subjects.passport(subject), deps.consents.list(subject), deps.timers.forSubject(subject),
    ]);
    page(res, 200, `${ctxOf(res).t.subject} ${ref}`, subjectPage(ctxOf(res), { subject, passport, consents, retention: timers.items, holds: timers.holds }));
  });

  r.get('/subjects/:ref/access-report', requireStaff(['operator', 'admin']), async (req, res) => {
    const subject = await deps.subjects.get(String(req.params.ref));
    const report = await deps.reports.build(subject, undefined, actorOf(ctxOf(res).staff!));
    res.type('html').send(renderAccessReport(report));
  });

  r.get('/campaigns', requireStaff(['operator', 'admin']), async (_req, res) => {
    const list = deps.campaigns ? await deps.campaigns.list({ limit: 50 }) : [];
    const progress = await Promise.all(list.map((c) => deps.campaigns!.progress(c.id)));
    page(res, 200, ctxOf(res).t.campaigns, campaignsPage(ctxOf(res), progress));
  });

  r.get('/audit', requireStaff(['auditor', 'admin']), async (req: Request, res) => {
    const filter = { subject: str(req.query.subject), actor: str(req.query.actor), action: str(req.query.action), from: str(req.query.from), to: str(req.query.to) };
    const subject = filter.subject ? await deps.subjects.get(filter.subject).catch(() => null) : undefined;
    const day = (d?: string, plus = 0) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(Date.parse(`${d}T00:00:00Z`) + plus) : undefined);
    const [recent, alerts, verdict] = await Promise.all([
      filter.subject && !subject ? Promise.resolve([]) : deps.audit.find({
        subjectId: subject?.id, actorId: filter.actor, action: filter.action, from: day(filter.from), to: day(filter.to, 86_400_000), limit: 1000,
      }),
      deps.audit.find({ action: 'alert.unusual-access', limit: 100 }),
      deps.audit.verifyChain(),
    ]);
    await deps.audit.record({ actor: actorOf(ctxOf(res).staff!), action: 'audit.read', outcome: 'success', details: { returned: recent.length } });
    page(res, 200, ctxOf(res).t.audit, auditPage(ctxOf(res), { entries: recent.slice(-300).reverse(), alerts, verdict, filter }));
  });

  r.use((err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError && err.status < 500) return page(res, err.status, String(err.status), `<h1>${err.status}</h1><p>${e(err.message)}</p>`);
    next(err);
  });
  return r;
}
