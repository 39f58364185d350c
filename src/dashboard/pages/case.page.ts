import { escapeHtml as e } from '../../api/views/html.js';
import type { CaseFile, CaseImage } from '../../domain/review/case.service.js';
import { REVIEW_REASONS } from '../../domain/review/review.service.js';
import type { Words } from '../i18n.js';
import { flash, type PageContext } from '../layout.js';
import { documentCard } from './case-document.js';
import { livenessCard } from './case-liveness.js';

const LABELS: Record<CaseImage['label'], keyof Words> = {
  'new-selfie': 'newSelfie', document: 'document', 'reference-selfie': 'referenceSelfie', 'reference-document': 'referenceDocument', frame: 'frame',
};

function figure(ctx: PageContext, caseId: string, img: CaseImage, index?: number): string {
  const caption = e(ctx.t[LABELS[img.label]]) + (index === undefined ? '' : ` ${index + 1}`);
  if (!img.available) return `<figure><div class="frame"><div class="gone">${e(ctx.t.imageGone)}</div></div><figcaption>${caption}</figcaption></figure>`;
  // An SVG overlay in the image's own coordinates: no inline style, so the CSP can forbid them.
  const box = img.box && img.width && img.height
    ? `<svg class="overlay" viewBox="0 0 ${img.width} ${img.height}" preserveAspectRatio="none" aria-hidden="true"><rect x="${img.box.x}" y="${img.box.y}" width="${img.box.width}" height="${img.box.height}" vector-effect="non-scaling-stroke"/></svg>`
    : '';
  return `<figure><div class="frame"><img src="/dashboard/cases/${e(caseId)}/images/${e(img.submissionId)}/${img.role}" alt="${caption}">${box}</div><figcaption>${caption}</figcaption></figure>`;
}

const FAR_BOUND = { at_most: '≤', about: '≈', at_least: '≥' } as const;

/** The match as a plain-language band next to the number, so a reviewer reads it the same way every time. */
function band(ctx: PageContext, file: CaseFile): string {
  const m = file.view.match;
  if (!m) return `<p>${e(ctx.t.noScore)}</p>`;
  const kind = m.similarity >= m.threshold.verifyMinSimilarity ? 'strong' : m.similarity >= m.threshold.reviewMinSimilarity ? 'weak' : 'none';
  const rows = m.comparedWith.map((c) => `<tr><td>${e(c.source)}</td><td>${c.similarity.toFixed(3)}</td><td>${c.distance.toFixed(3)}</td></tr>`).join('');
  return `<p><span class="band ${kind}">${e(ctx.t[kind])}</span> <strong>${m.similarity.toFixed(3)}</strong>
${m.estimatedFar ? ` · FAR ${FAR_BOUND[m.estimatedFar.bound]} 1:${Math.round(1 / m.estimatedFar.far).toLocaleString('en')}` : ''}
<span class="muted">(≥ ${m.threshold.verifyMinSimilarity} · ≥ ${m.threshold.reviewMinSimilarity}; ${e(m.model.name)} ${e(m.model.version)})</span></p>
<table><thead><tr><th>${e(ctx.t.item)}</th><th>${e(ctx.t.score)}</th><th>distance</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function casePage(ctx: PageContext, file: CaseFile, opts: { notice?: string; error?: string }): string {
  const { t, staff } = ctx;
  const v = file.view;
  const mine = staff && file.claimedBy === staff.userId;
  const waiting = v.decision === 'needs_review' && !v.review;
  const findings = v.findings.map((f) => `<li>${e(f.role)}: ${f.facesDetected} ${e(t.faces)}${f.face ? `, score ${f.face.score}` : ''}</li>`).join('');
  const history = file.history.map((s) => `<tr><td>${e(s.createdAt.toISOString().slice(0, 16).replace('T', ' '))}</td><td>${e(s.kind)}</td>
<td>${e(s.decision ?? s.status)}</td><td class="code">${s.reasons.map(e).join(' ')}</td><td>${s.id === v.id ? '◀' : `<a href="/dashboard/cases/${e(s.id)}">${e(t.open)}</a>`}</td></tr>`).join('');
  const options = (Object.keys(REVIEW_REASONS) as (keyof typeof REVIEW_REASONS)[]).map((outcome) => `<fieldset><legend>${e(t[outcome])}</legend>${
    REVIEW_REASONS[outcome].map((code) => `<label class="option"><input type="radio" name="decision" value="${outcome}:${code}" required> <span class="code">${e(code)}</span></label>`).join('')}</fieldset>`).join('');
  const csrf = staff ? `<input type="hidden" name="_csrf" value="${e(staff.csrfToken)}">` : '';
  const action = !waiting
    ? `<p>${e(t.decision)}: <strong>${e(v.decision ?? v.status)}</strong>${v.review ? ` · ${e(t.reviewedBy)} ${e(v.review.outcome)} <span class="code">${e(v.review.reasonCode)}</span> ${e(v.review.at)}` : ''} · ${e(t.machine)}: ${e(v.machineDecision ?? '—')}</p>`
    : mine
      ? `<form class="decide" method="post" action="/dashboard/cases/${e(v.id)}/decision">${csrf}${options}
<label for="comment">${e(t.comment)}</label><textarea id="comment" name="comment" rows="3" cols="60" maxlength="1000"></textarea>
<p><button type="submit">${e(t.decide)}</button></p></form>`
      : `<p>${file.claimedBy ? e(t.claimedByOther) : ''}</p><form method="post" action="/dashboard/cases/${e(v.id)}/claim">${csrf}<button type="submit">${e(t.claim)}</button></form>`;
  return `<h1>${e(t.caseTitle)} · <a href="/dashboard/subjects/${encodeURIComponent(v.subjectId)}">${e(v.subjectId)}</a> · ${e(v.kind)}</h1>
${opts.notice ? flash('ok', opts.notice) : ''}${opts.error ? flash('bad', opts.error) : ''}
<section class="card"><div class="images">${file.images.filter((i) => i.label !== 'frame').map((i) => figure(ctx, v.id, i)).join('')}</div></section>
<section class="card"><h2>${e(t.match)}</h2>${band(ctx, file)}</section>
${documentCard(ctx, file)}
${livenessCard(ctx, file, (k) => {
    const frame = file.images.filter((i) => i.label === 'frame')[k];
    return frame ? figure(ctx, v.id, frame, k) : '';
  })}
<section class="card"><h2>${e(t.findings)}</h2><p class="code">${v.reasons.map(e).join(' · ')}</p><ul>${findings}</ul></section>
<section class="card"><h2>${e(t.decision)}</h2>${mine && waiting ? `<p>${e(t.claimedByYou)}</p>` : ''}${action}</section>
<section class="card"><h2>${e(t.history)}</h2><table><tbody>${history}</tbody></table></section>`;
}
