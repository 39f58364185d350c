import type { AccessReport } from '../../domain/rights/access-report.service.js';
import { escapeHtml as e } from './html.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
.meta{color:#444}@media print{body{margin:0}h2{break-after:avoid}}`;

function table(rows: readonly Record<string, unknown>[]): string {
  if (!rows.length) return '<p>—</p>';
  const cols = Object.keys(rows[0]!);
  return `<table><thead><tr>${cols.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td>${e(r[c] ?? '—')}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The access report as a printable page in the subject's language. */
export function renderAccessReport(report: AccessReport): string {
  const t = report.text;
  const sections = report.categories.map((c) => `<h2>${e(c.title)}</h2>
<p class="meta">${e(t.legalBasis)}: ${e(c.legalBasis)}. ${e(t.retention)}: ${e(c.term)}.</p>${table(c.items)}`).join('\n');
  return `<!doctype html><html lang="${e(report.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(t.title)}</title><style>${STYLE}</style></head><body>
<h1>${e(t.title)}</h1><p>${e(t.intro)}</p><p class="meta">${e(t.generated)}: ${e(report.generatedAt)}. ${e(t.deadline)}</p>
<p>${e(t.purpose)}</p>
${sections}
<h2>${e(t.categories.corrections)}</h2>${table(report.corrections.map((c) => ({ ...c, fields: c.fields.join(', ') })))}
<h2>${e(t.accessLog)}</h2>${report.accessLog.length ? table(report.accessLog) : `<p>${e(t.nobody)}</p>`}
<h2>${e(t.transfers)}</h2><p>${e(t.noTransfers)}</p>
</body></html>`;
}
