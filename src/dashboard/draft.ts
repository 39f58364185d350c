import type { Request, Response } from 'express';
import type { DecisionDraft } from './pages/case.page.js';
import { parseCookies, setCookie, type CookieSettings } from './session.js';

const DRAFT = 'zinda_draft';
// Long enough to sign in again after an idle timeout; the draft is only ever offered back, never acted on.
const DRAFT_SECONDS = 1800;

/** Keeps a typed decision in an HttpOnly cookie (same-site, this path only), so a lapsed session loses nothing. */
export function writeDraft(res: Response, cookies: CookieSettings, draft: DecisionDraft): void {
  setCookie(res, DRAFT, Buffer.from(JSON.stringify(draft)).toString('base64url'), cookies, DRAFT_SECONDS);
}

export function clearDraft(res: Response, cookies: CookieSettings): void {
  setCookie(res, DRAFT, '', cookies, 0);
}

/** The kept decision for this case, if any. */
export function readDraft(req: Request, caseId: string): DecisionDraft | null {
  const raw = parseCookies(req.get('cookie'))[DRAFT];
  if (!raw) return null;
  try {
    const d = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<DecisionDraft>;
    return d.caseId === caseId && typeof d.decision === 'string' && typeof d.comment === 'string'
      ? { caseId, decision: d.decision.slice(0, 80), comment: d.comment.slice(0, 1000), keepAsReference: d.keepAsReference === true } : null;
  } catch {
    return null;
  }
}
