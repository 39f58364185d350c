import { escapeHtml as e } from '../../shared/views/html.js';
import { DOCUMENT_TYPES } from '../../documents/types/document-type.schema.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import type { Passport } from '../../domain/subjects/passport.js';
import type { PageContext } from '../layout.js';

const GRADE_BAND = { good: 'strong', fair: 'weak', poor: 'none' } as const;
const FIELDS = ['number', 'surname', 'givenNames', 'dateOfBirth', 'expiryDate'] as const;
const MARK = { match: '✓', mismatch: '✗', unverified: '?' } as const;

/**
 * The enrolment's identity document for a reviewer: the typed fields against the machine-readable lines, field by
 * field with mismatches marked; how much the printed portrait is worth as the other side of the match; whether the
 * same document number or photo was presented for someone else.
 */
export function documentCard(ctx: PageContext, file: CaseFile, passport?: Passport | null): string {
  const { t, fmt } = ctx;
  const d = file.view.document;
  if (!d) return '';
  const p = d.portrait;
  const portrait = p
    ? `<span class="band ${GRADE_BAND[p.grade]}">${e(t[`portrait_${p.grade}`])}</span> <strong>${e(fmt.number(p.interEyePx))}</strong> ${e(t.eyeDistance)}
 · ${e(t.sharpness)} ${e(fmt.number(p.sharpness, 3))} · ${e(t.glare)} ${e(fmt.number(p.glare * 100, 1))} %${p.rotationApplied ? ` · ${e(t.turned)} ${e(fmt.number(p.rotationApplied))}°` : ''}
 ${p.findings.length ? `<ul class="reasons">${p.findings.map((f) => `<li>${fmt.reason(f)}</li>`).join('')}</ul>` : ''}`
    : e(t.none_);
  const mrz = d.mrzFound
    ? `${e(d.mrzFormat ?? '')} · ${d.checkDigitsValid ? e(t.checkDigitsOk) : `<span class="bad-text">${e(t.checkDigitsBad)}</span>`}`
    : `<span class="bad-text">${e(t.mrzNotFound)}</span>`;
  const typed = (f: (typeof FIELDS)[number]) => {
    const value = passport?.[f];
    if (!value) return '—';
    return f === 'dateOfBirth' || f === 'expiryDate' ? e(fmt.date(value)) : e(value);
  };
  const rows = FIELDS.map((f) => {
    const verdict = (d.fields[f] ?? 'unverified') as keyof typeof MARK;
    return `<tr class="field-${verdict}"><th scope="row">${fmt.term('field', f)}</th><td data-label="${e(t.typedValue)}">${typed(f)}</td>
<td data-label="${e(t.againstMrz)}"><span class="mark" aria-hidden="true">${MARK[verdict] ?? '?'}</span> ${fmt.term('fieldVerdict', verdict)}</td></tr>`;
  }).join('');
  const type = DOCUMENT_TYPES.get(d.documentType);
  return `<section class="card" id="document"><h2>${e(t.documentTitle)}</h2>
<table><tbody>
<tr><th>${e(t.documentKind)}</th><td><span title="${e(d.documentType)}">${e(type?.names[ctx.lang] ?? t.none_)}</span></td></tr>
<tr><th>${e(t.mrzTitle)}</th><td>${mrz}</td></tr>
<tr><th>${e(t.portraitTitle)}</th><td>${portrait}</td></tr>
${d.elsewhere ? `<tr><th>${e(t.sameNumberElsewhere)}</th><td>${e(fmt.number(d.elsewhere.numberHolders))}</td></tr>
<tr><th>${e(t.samePhotoElsewhere)}</th><td>${e(fmt.number(d.elsewhere.imageMatches))}</td></tr>` : ''}
</tbody></table>
<table class="fields"><thead><tr><th scope="col">${e(t.field)}</th><th scope="col">${e(t.typedValue)}</th><th scope="col">${e(t.againstMrz)}</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}
