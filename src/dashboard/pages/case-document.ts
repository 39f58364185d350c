import { escapeHtml as e } from '../../api/views/html.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import type { PageContext } from '../layout.js';

const GRADE_BAND = { good: 'strong', fair: 'weak', poor: 'none' } as const;

/**
 * The enrolment's identity document for a reviewer: how much the printed portrait is worth as the other side of the
 * match (its real size on the page, sharpness, glare, how the page was turned), and whether the same document
 * number or photo was presented for someone else. Codes stay as they are; words are translated.
 */
export function documentCard(ctx: PageContext, file: CaseFile): string {
  const { t } = ctx;
  const d = file.view.document;
  if (!d) return '';
  const p = d.portrait;
  const portrait = p
    ? `<span class="band ${GRADE_BAND[p.grade]}">${e(t[`portrait_${p.grade}`])}</span> <strong>${p.interEyePx.toFixed(0)}</strong> ${e(t.eyeDistance)}
 · ${e(t.sharpness)} ${p.sharpness.toFixed(3)} · ${e(t.glare)} ${(p.glare * 100).toFixed(1)} %${p.rotationApplied ? ` · ${e(t.turned)} ${p.rotationApplied}°` : ''}
 ${p.findings.map((f) => `<span class="code">${e(f)}</span>`).join(' ')}`
    : e(t.none_);
  const mrz = d.mrzFound
    ? `${e(d.mrzFormat ?? '')} · ${d.checkDigitsValid ? e(t.passed) : e(t.failed)}`
    : e(t.notRun);
  return `<section class="card"><h2>${e(t.documentTitle)}</h2>
<table><tbody>
<tr><th>MRZ</th><td>${mrz} <span class="muted">${e(d.documentType)}</span></td></tr>
<tr><th>${e(t.portraitTitle)}</th><td>${portrait}</td></tr>
${d.elsewhere ? `<tr><th>${e(t.sameNumberElsewhere)}</th><td>${d.elsewhere.numberHolders}</td></tr>
<tr><th>${e(t.samePhotoElsewhere)}</th><td>${d.elsewhere.imageMatches}</td></tr>` : ''}
</tbody></table></section>`;
}
