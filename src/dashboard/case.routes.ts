import type { Request, Response, Router } from 'express';
import type { CaseService } from '../domain/review/case.service.js';
import type { ImageAccessService } from '../domain/review/image-access.service.js';
import type { ReviewOutcome, ReviewService } from '../domain/review/review.service.js';
import type { SubjectService } from '../domain/subjects/subject.service.js';
import { watermark } from '../images/watermark.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { clearDraft, readDraft, writeDraft } from './draft.js';
import { layout } from './layout.js';
import { day, str } from './params.js';
import { casePage, type DecisionDraft } from './pages/case.page.js';
import { queuePage } from './pages/queue.page.js';
import { actorOf, ctxOf, requireStaff, type CookieSettings } from './session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERROR_CODE = /^[A-Z][A-Z_]{2,40}$/;
const IMAGE_ROLE = /^(selfie|document|frame-\d{2})$/;
const REVIEWERS = requireStaff(['reviewer', 'admin']);
const caseId = (req: Request) => {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw new NotFoundError('CASE_NOT_FOUND', 'No such case.');
  return id;
};

/** What the case pages need (a part of the dashboard's deps). */
export interface CaseRouteDeps {
  readonly review: ReviewService;
  readonly cases: CaseService;
  readonly images: ImageAccessService;
  readonly subjects: SubjectService;
  readonly cookies: CookieSettings;
  readonly watermark: boolean;
}

/** The review queue, the case page, claims, decisions and the case's images. */
export function mountCaseRoutes(r: Router, deps: CaseRouteDeps): void {
  const claimLive = (claimedAt: Date | null) => deps.review.claimHolds(claimedAt);
  
  r.get('/queue', REVIEWERS, async (req, res) => {
    const filter = { reason: str(req.query.reason), region: str(req.query.region), office: str(req.query.office), from: str(req.query.from), to: str(req.query.to) };
    const [entries, counts] = await Promise.all([
      deps.review.queue({ reason: filter.reason, region: filter.region, office: filter.office, from: day(filter.from), to: day(filter.to, 86_400_000), limit: 200 }),
      deps.review.counts(),
    ]);
    const rows = entries.map((x) => ({ ...x, claimLive: claimLive(x.claimedAt) }));
    res.type('html').send(layout(ctxOf(res), ctxOf(res).t.queue, queuePage(ctxOf(res), { entries: rows, counts, filter })));
  });

  // The oldest waiting case nobody else holds: "next case" after a decision.
  r.get('/next', REVIEWERS, async (_req, res) => {
    const me = ctxOf(res).staff!.userId;
    const waiting = await deps.review.queue({ limit: 200 });
    const next = waiting.find((x) => !x.claimedBy || x.claimedBy === me || !claimLive(x.claimedAt));
    res.redirect(303, next ? `/dashboard/cases/${next.submissionId}` : '/dashboard/queue');
  });

  r.get('/cases/:id', REVIEWERS, async (req, res) => {
    const id = caseId(req);
    const ctx = ctxOf(res);
    const file = await deps.cases.get(id);
    const error = str(req.query.error);
    const passport = file.view.document && file.subject.status !== 'erased' ? await deps.subjects.passport(file.subject) : null;
    const draft = readDraft(req, id);
    if (draft && file.claimedBy === ctx.staff!.userId) clearDraft(res, deps.cookies);
    res.type('html').send(layout(ctx, `${ctx.t.caseTitle} ${file.view.subjectId}`, casePage(ctx, file, {
      decided: req.query.decided === '1', error: error && ERROR_CODE.test(error) ? error : undefined,
      draft, claimLive: claimLive(file.claimedAt), passport,
    })));
  });

  // Post/redirect/get: after a claim or a decision the browser shows the case by GET, so reload, Back and a
  // language switch work; a refusal comes back as a code that the page puts in words.
  const back = (res: Response, id: string, query = '') => res.redirect(303, `/dashboard/cases/${id}${query}`);

  r.post('/cases/:id/claim', REVIEWERS, async (req, res) => {
    const id = caseId(req);
    try {
      await deps.review.claim(id, actorOf(ctxOf(res).staff!));
      back(res, id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      back(res, id, `?error=${encodeURIComponent(error.code)}`);
    }
  });

  const draftOf = (req: Request, id: string): DecisionDraft => {
    const body = req.body as Record<string, unknown>;
    return {
      caseId: id, decision: String(body.decision ?? '').slice(0, 80), comment: String(body.comment ?? '').slice(0, 1000),
      keepAsReference: body.keepAsReference === '1',
    };
  };

  // A decision sent after the session ended is kept and offered again after sign-in, on the same case.
  r.post('/cases/:id/decision', (req, res, next) => {
    if (ctxOf(res).staff) return next();
    const id = caseId(req);
    writeDraft(res, deps.cookies, draftOf(req, id));
    res.redirect(303, `/dashboard/login?next=${encodeURIComponent(`/dashboard/cases/${id}`)}&kept=1`);
  });

  r.post('/cases/:id/decision', REVIEWERS, async (req, res) => {
    const id = caseId(req);
    const staff = ctxOf(res).staff!;
    const draft = draftOf(req, id);
    const [outcome, reasonCode] = draft.decision.split(':');
    try {
      await deps.review.decide(id, actorOf(staff), staff.displayName, {
        outcome: outcome as ReviewOutcome, reasonCode: reasonCode ?? '', comment: draft.comment, keepAsReference: draft.keepAsReference === true,
      });
      clearDraft(res, deps.cookies);
      back(res, id, '?decided=1');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      writeDraft(res, deps.cookies, draft);
      back(res, id, `?error=${encodeURIComponent(error.code)}`);
    }
  });

  // Images only through a signed-in session, never cached, each view audited and watermarked with the viewer.
  r.get('/cases/:id/images/:submissionId/:role', REVIEWERS, async (req, res) => {
    const { id, submissionId, role } = req.params as Record<string, string>;
    if (!UUID.test(id!) || !UUID.test(submissionId!) || !IMAGE_ROLE.test(role!) || !(await deps.cases.imageBelongsToCase(id!, submissionId!))) {
      throw new NotFoundError('IMAGE_NOT_FOUND', 'No such image on this case.');
    }
    const ctx = ctxOf(res);
    const staff = ctx.staff!;
    let image = await deps.images.view(submissionId!, role!, actorOf(staff));
    if (deps.watermark) image = await watermark(image, `${ctx.t.watermark}: ${staff.username} · ${ctx.fmt.dateTime(new Date())}`);
    res.setHeader('Cache-Control', 'no-store, private');
    res.type('jpeg').send(image);
  });
}
