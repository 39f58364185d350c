import { escapeHtml as e } from '../../api/views/html.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import type { PageContext } from '../layout.js';

/**
 * What the liveness checks found, beside the frames the person sent: a reviewer sees the asked movements, what each
 * frame showed, and why the machine doubted, in one card. Codes stay as they are; words are translated.
 */
export function livenessCard(ctx: PageContext, file: CaseFile, frameFigure: (index: number) => string): string {
  const { t } = ctx;
  const l = file.view.liveness;
  if (!l) return '';
  const verdict = (pass: boolean | null) => (pass === null ? e(t.notRun) : pass ? e(t.passed) : e(t.failed));
  const quality = l.quality.findings.map((f) => `<span class="code">${e(f.code)}</span>`).join(' ');
  const passive = l.liveness
    ? `${e(l.liveness.verdict)} · ${l.liveness.score.toFixed(3)} <span class="muted">(≥ ${l.liveness.thresholds.pass})</span>`
    : e(t.notRun);
  const frames = file.images.filter((i) => i.label === 'frame');
  const perFrame = new Map((l.challenge?.frames ?? []).map((f) => [f.index, f]));
  const strip = frames.map((_, k) => {
    const read = perFrame.get(k);
    const seen = read ? `yaw ${read.yaw.toFixed(0)}° · ${read.actions.map((a) => e(a)).join(', ') || '—'}` : '';
    return `<div class="frame-cell">${frameFigure(k)}<p class="muted">${seen}</p></div>`;
  }).join('');
  const challenge = l.challenge
    ? `${verdict(l.challenge.pass)} · <span class="code">${l.challenge.actions.map(e).join(' → ')}</span> ${l.challenge.reasons.map((r) => `<span class="code">${e(r)}</span>`).join(' ')}`
    : e(t.notRun);
  const replay = l.replay.reasons.length ? l.replay.reasons.map((r) => `<span class="code">${e(r)}</span>`).join(' ') : '—';
  return `<section class="card"><h2>${e(t.livenessTitle)}</h2>
<table><tbody>
<tr><th>${e(t.qualityGate)}</th><td>${verdict(l.quality.pass)} ${quality}</td></tr>
<tr><th>${e(t.passiveCheck)}</th><td>${passive}</td></tr>
<tr><th>${e(t.challengeTitle)}</th><td>${challenge}</td></tr>
<tr><th>${e(t.replayTitle)}</th><td>${replay}</td></tr>
${l.lockout ? `<tr><th>${e(t.lockedUntil)}</th><td>${e(l.lockout.lockedUntil)}</td></tr>` : ''}
</tbody></table>
${strip ? `<div class="frames">${strip}</div>` : ''}</section>`;
}
