import { escapeHtml as e } from '../../shared/views/html.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import { REVIEW_REASONS } from '../../domain/review/review.service.js';
import type { Passport } from '../../domain/subjects/passport.js';
import { flash, may, type PageContext } from '../layout.js';
import { documentCard } from './case-document.js';
import { faceRow, figure } from './case-faces.js';
import { livenessCard } from './case-liveness.js';
import { verdictCard } from './case-verdict.js';

/** A decision typed before the session ended, kept to fill the form again after sign-in. */
export interface DecisionDraft {
  readonly caseId: string;
  readonly decision: string;
  readonly comment: string;
  /** The reviewer ticked "also keep this selfie as a reference". */
  readonly keepAsReference?: boolean;
}

export interface CaseOptions {
  readonly decided?: boolean;
  /** Error code of a refused claim or decision. */
  readonly error?: string;
  readonly draft?: DecisionDraft | null;
  /** The claim on the case is younger than the claim TTL. */
  readonly claimLive: boolean;
  readonly passport?: Passport | null;
}

const NEXT = (ctx: PageContext, focus: boolean) =>
  `<a class="button" href="/dashboard/next"${focus ? ' autofocus' : ''}>${e(ctx.t.nextCase)}</a>`;

function decisionPanel(ctx: PageContext, file: CaseFile, opts: CaseOptions): string {
  const { t, fmt, staff } = ctx;
  const v = file.view;
  const csrf = staff ? `<input type="hidden" name="_csrf" value="${e(staff.csrfToken)}">` : '';
  if (v.decision !== 'needs_review' || v.review) {
    const review = file.history.find((s) => s.id === v.id)?.review ?? null;
    const who = review
      ? `<dl class="facts"><dt>${e(t.decision)}</dt><dd>${fmt.term('outcome', review.outcome)}: ${fmt.reason(review.reasonCode)}</dd>
<dt>${e(t.decidedBy)}</dt><dd>${e(review.byName)}</dd><dt>${e(t.decidedAt)}</dt><dd>${e(fmt.dateTime(review.at))}</dd>
${review.comment ? `<dt>${e(t.internalComment)}</dt><dd class="comment">${e(review.comment)}</dd>` : ''}
${review.referenceApproval ? `<dt>${e(t.referenceKept)}</dt><dd class="reference">${fmt.term('referenceApproval', review.referenceApproval)}</dd>` : ''}</dl>`
      : `<p>${e(t.decision)}: <strong>${fmt.term('decision', v.decision ?? v.status)}</strong></p>`;
    return `${who}<p class="muted">${e(t.machineSaid)}: ${fmt.term('decision', v.machineDecision ?? null)}</p><p>${NEXT(ctx, Boolean(opts.decided))}</p>`;
  }
  const mine = staff !== null && file.claimedBy === staff.userId;
  if (!mine) {
    const heldByOther = file.claimedBy !== null && opts.claimLive;
    const note = heldByOther ? t.claimedByOther : file.claimedBy ? t.claimLapsed : '';
    return `${note ? `<p>${e(note)}</p>` : ''}<form method="post" action="/dashboard/cases/${e(v.id)}/claim">${csrf}<button type="submit">${e(t.claim)}</button></form>`;
  }
  const draft = opts.draft?.caseId === v.id ? opts.draft : null;
  const options = (Object.keys(REVIEW_REASONS) as (keyof typeof REVIEW_REASONS)[]).map((outcome) => `<fieldset class="outcome-${outcome}"><legend>${e(t[outcome])}</legend>${
    REVIEW_REASONS[outcome].map((code) => {
      const value = `${outcome}:${code}`;
      return `<label class="option"><input type="radio" name="decision" value="${value}" required${draft?.decision === value ? ' checked' : ''}> ${fmt.reason(code)}</label>`;
    }).join('')}${outcome === 'approve' && v.kind === 'verification' ? keepAsReference(ctx, Boolean(draft?.keepAsReference)) : ''}</fieldset>`).join('');
  // A lapsed claim of one's own is not shown as held: the case is free again, though nobody has taken it yet.
  return `<p>${e(opts.claimLive ? t.claimedByYou : t.claimLapsedMine)}</p>${draft ? flash('ok', t.keptDraft) : ''}
<form class="decide" method="post" action="/dashboard/cases/${e(v.id)}/decision">${csrf}<div class="outcomes">${options}</div>
<div class="decide-foot"><div><label for="comment">${e(t.comment)}</label><textarea id="comment" name="comment" rows="2" maxlength="1000">${e(draft?.comment ?? '')}</textarea></div>
<button type="submit">${e(t.decide)}</button></div></form>`;
}

/** Offered on an approval of a proof of life: the selfie may join the gallery (the poisoning guard still decides). */
const keepAsReference = ({ t }: PageContext, checked: boolean) =>
  `<label class="option keep-reference"><input type="checkbox" name="keepAsReference" value="1"${checked ? ' checked' : ''}> ${e(t.keepAsReference)}</label>`;

/** The case: faces side by side, why it is here and the decision on the first screen; evidence below. */
export function casePage(ctx: PageContext, file: CaseFile, opts: CaseOptions): string {
  const { t, fmt } = ctx;
  const v = file.view;
  const subject = may(ctx, 'subjects')
    ? `<a href="/dashboard/subjects/${encodeURIComponent(v.subjectId)}">${e(v.subjectId)}</a>` : e(v.subjectId);
  const findings = v.findings.map((f) => `<li>${e(f.role === 'selfie' ? t.newSelfie : t.document)}: ${e(fmt.count(f.facesDetected, t.faceCount))}${
    f.face ? ` · ${e(t.verdictScore)} ${e(fmt.number(f.face.score, 2))}` : ''}</li>`).join('');
  const history = file.history.map((s) => `<tr><td data-label="${e(t.when)}">${e(fmt.dateTime(s.createdAt))}</td><td data-label="${e(t.kind)}">${fmt.term('kind', s.kind)}</td>
<td data-label="${e(t.decision)}">${s.decision ? fmt.term('decision', s.decision) : fmt.term('status', s.status)}</td>
<td data-label="${e(t.reason)}"><ul class="reasons">${s.reasons.map((r) => `<li>${fmt.reason(r)}</li>`).join('')}</ul></td>
<td>${s.id === v.id ? '◀' : `<a href="/dashboard/cases/${e(s.id)}">${e(t.open)}</a>`}</td></tr>`).join('');
  const frames = file.images.filter((i) => i.label === 'frame');
  const notice = opts.decided ? flash('ok', t.decided) : opts.error ? flash('bad', fmt.error(opts.error), true) : '';
  return `<h1>${e(t.caseTitle)} · ${subject} · ${fmt.term('kind', v.kind)}</h1>${notice}
<div class="case-top">
<section class="card faces" aria-label="${e(t.facesTitle)}">${faceRow(ctx, file)}</section>
${verdictCard(ctx, file)}
<section class="card decision" id="decision"><h2>${e(t.decision)}</h2>${decisionPanel(ctx, file, opts)}</section>
</div>
<section class="card"><h2>${e(t.wholePhotos)}</h2><div class="images">${file.images.filter((i) => i.label !== 'frame').map((i) => figure(ctx, v.id, i)).join('')}</div></section>
${documentCard(ctx, file, opts.passport)}
${livenessCard(ctx, file, (k) => (frames[k] ? figure(ctx, v.id, frames[k], k) : ''))}
<section class="card"><h2>${e(t.findings)}</h2><ul class="reasons">${v.reasons.map((r) => `<li>${fmt.reason(r)}</li>`).join('')}</ul><ul>${findings}</ul></section>
<section class="card"><h2>${e(t.history)}</h2><table class="cards"><tbody>${history}</tbody></table></section>`;
}
