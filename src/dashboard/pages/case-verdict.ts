import { escapeHtml as e } from '../../shared/views/html.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import type { GalleryFusion } from '../../domain/submissions/submission.js';
import type { PageContext } from '../layout.js';
import { ATTACK_REASONS } from '../terms/reasons.js';

const FAR_WORD = { at_most: '≤', about: '≈', at_least: '≥' } as const;

/**
 * Why the case is here and what the machine concluded, in sentences. A case sent for a possible attack or replay
 * leads with that reason: a "strong match" band would otherwise invite approving the very photo that was replayed.
 */
export function verdictCard(ctx: PageContext, file: CaseFile): string {
  const { t, fmt } = ctx;
  const v = file.view;
  const reasons = v.reasons.filter((r) => !r.startsWith('REVIEW_') && r !== 'RECAPTURE_REQUESTED');
  const attack = reasons.filter((r) => ATTACK_REASONS.has(r));
  const rest = reasons.filter((r) => !ATTACK_REASONS.has(r));
  const why = [...attack.map((r) => `<li class="attack">${fmt.reason(r)}</li>`), ...rest.map((r) => `<li>${fmt.reason(r)}</li>`)].join('');
  const m = v.match;
  let match = `<p>${e(t.noScore)}</p>`;
  if (m) {
    const kind = m.similarity >= m.threshold.verifyMinSimilarity ? 'strong' : m.similarity >= m.threshold.reviewMinSimilarity ? 'weak' : 'none';
    const far = m.estimatedFar
      ? `<p>${e(t.impostorOdds).replace('{n}', `<strong>${FAR_WORD[m.estimatedFar.bound]} ${e(fmt.number(Math.round(1 / m.estimatedFar.far)))}</strong>`)}</p>` : '';
    const compared = m.comparedWith.map((c) => `<li>${fmt.term('comparedSource', c.source)}${c.enrolledAt ? ` (${e(fmt.dateTime(c.enrolledAt))})` : ''}: <strong>${e(fmt.number(c.similarity, 2))}</strong></li>`).join('');
    match = `<p><span class="band ${kind}${attack.length ? ' subdued' : ''}">${e(t[kind])}</span>
${e(t.similarity)} <strong>${e(fmt.number(m.similarity, 2))}</strong></p>${far}
<p class="muted small">${e(t.strongFrom)} ${e(fmt.number(m.threshold.verifyMinSimilarity, 2))} · ${e(t.reviewFrom)} ${e(fmt.number(m.threshold.reviewMinSimilarity, 2))}
 · ${e(t.faceModel)}: <span title="${e(m.model.name)} ${e(m.model.version)}">${e(m.model.version)}</span></p>
${compared ? `<p class="small">${e(t.comparedWith)}:</p><ul class="small">${compared}</ul>` : ''}${fusionLine(ctx, m.fusion)}`;
  }
  return `<section class="card verdict" aria-labelledby="why"><h2 id="why">${e(t.whyHere)}</h2>
${attack.length ? `<p class="warning">${e(t.attackFirst)}</p>` : ''}<ul class="why">${why || `<li>${e(t.none_)}</li>`}</ul>
<h2>${e(t.verdictTitle)}</h2>${match}</section>`;
}

/** A gallery's decision in words: how many references, how they were combined, and the combined distance. */
function fusionLine({ t, fmt }: PageContext, fusion: GalleryFusion | undefined): string {
  if (!fusion) return '';
  return `<p class="muted small fusion">${e(t.gallerySize)}: <strong>${e(fmt.number(fusion.gallerySize))}</strong>
 · ${e(t.fusionRule)}: ${fmt.term('fusionRule', fusion.rule)}
 · ${e(t.fusedDistance)}: <strong>${e(fmt.number(fusion.fusedDistance, 3))}</strong></p>`;
}
