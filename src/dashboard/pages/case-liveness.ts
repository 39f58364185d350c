import { escapeHtml as e } from '../../shared/views/html.js';
import type { CaseFile } from '../../domain/review/case.service.js';
import type { PageContext } from '../layout.js';

/**
 * What the liveness checks found, beside the frames the person sent: a reviewer sees the asked movements, what each
 * frame showed, and why the machine doubted, in one card, in words (codes stay in tooltips).
 */
export function livenessCard(ctx: PageContext, file: CaseFile, frameFigure: (index: number) => string): string {
  const { t, fmt } = ctx;
  const l = file.view.liveness;
  if (!l) return '';
  const verdict = (pass: boolean | null) => (pass === null ? e(t.notRun) : pass ? e(t.passed) : `<span class="bad-text">${e(t.failed)}</span>`);
  const list = (codes: readonly string[]) => (codes.length ? `<ul class="reasons">${codes.map((c) => `<li>${fmt.reason(c)}</li>`).join('')}</ul>` : '');
  const passive = l.liveness
    ? `${fmt.term('livenessVerdict', l.liveness.verdict)} · ${e(t.verdictScore)} ${e(fmt.number(l.liveness.score, 2))} <span class="muted">(≥ ${e(fmt.number(l.liveness.thresholds.pass, 2))})</span>`
    : e(t.notRun);
  const actions = (codes: readonly string[]) => codes.map((a) => fmt.term('challengeAction', a)).join(' → ');
  const frames = file.images.filter((i) => i.label === 'frame');
  const perFrame = new Map((l.challenge?.frames ?? []).map((f) => [f.index, f]));
  const strip = frames.map((_, k) => {
    const read = perFrame.get(k);
    const seen = read
      ? `${e(t.headTurned)} ${e(fmt.number(read.yaw))}° · ${read.actions.map((a) => fmt.term('challengeAction', a)).join(', ') || '—'}` : '';
    return `<div class="frame-cell">${frameFigure(k)}<p class="muted">${seen}</p></div>`;
  }).join('');
  const challenge = l.challenge
    ? `${verdict(l.challenge.pass)} · ${e(t.asked)}: ${actions(l.challenge.actions)}${list(l.challenge.reasons)}`
    : e(t.notRun);
  return `<section class="card" id="liveness"><h2>${e(t.livenessTitle)}</h2>
<table><tbody>
<tr><th>${e(t.qualityGate)}</th><td>${verdict(l.quality.pass)}${list(l.quality.findings.map((f) => f.code))}</td></tr>
<tr><th>${e(t.passiveCheck)}</th><td>${passive}</td></tr>
<tr><th>${e(t.challengeTitle)}</th><td>${challenge}</td></tr>
<tr><th>${e(t.replayTitle)}</th><td>${list(l.replay.reasons) || '—'}</td></tr>
${l.lockout ? `<tr><th>${e(t.lockedUntil)}</th><td>${e(fmt.dateTime(l.lockout.lockedUntil))}</td></tr>` : ''}
</tbody></table>
${strip ? `<div class="frames">${strip}</div>` : ''}</section>`;
}
