import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { DeviceStatus, ReportColumn } from '../../domain/rights/access-report.i18n.js';
import type { AccessReport } from '../../domain/rights/access-report.service.js';
import { allowStyleSource, escapeHtml as e } from './html.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
.meta{color:#444}@media print{body{margin:0}h2{break-after:avoid}}`;

/**
 * The CSP source that lets the report's own <style> element apply and nothing else inline: the API's policy is
 * style-src 'self', which blocks every inline style, so a page served with that policy alone printed unstyled. A
 * hash rather than a stylesheet URL, because the page is also saved and opened as a file.
 */
export const ACCESS_REPORT_STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function table(rows: readonly Partial<Record<ReportColumn, unknown>>[], names: Record<ReportColumn, string>): string {
  if (!rows.length) return '<p>—</p>';
  const cols = Object.keys(rows[0]!) as ReportColumn[];
  return `<table><thead><tr>${cols.map((c) => `<th>${e(names[c] ?? c)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td>${e(r[c] ?? '—')}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A phone linked to the subject, as the access report lists it (Art. 22: who may act in their name). */
export interface ReportDevice {
  readonly label: string | null; readonly status: DeviceStatus; readonly createdAt: string;
  readonly lastUsedAt: string | null; readonly expiresAt: string;
}

// Only where the caller looked the phones up: a report built without them says nothing rather than "no phone".
function devicesSection(devices: readonly ReportDevice[], t: AccessReport['text']): string {
  const rows = devices.map((d) => ({
    phone: d.label ?? '—', status: t.deviceStatus[d.status], createdAt: d.createdAt, lastUsedAt: d.lastUsedAt, expiresAt: d.expiresAt,
  }));
  return `<h2>${e(t.devices)}</h2>${rows.length ? table(rows, t.columns) : `<p>${e(t.noDevices)}</p>`}`;
}

/** The access report as a printable page in the subject's language. */
export function renderAccessReport(report: AccessReport & { readonly devices?: readonly ReportDevice[] }): string {
  const t = report.text;
  const sections = report.categories.map((c) => `<h2>${e(c.title)}</h2>
<p class="meta">${e(t.legalBasis)}: ${e(c.legalBasis)}. ${e(t.retention)}: ${e(c.term)}.</p>${table(c.items, t.columns)}`).join('\n');
  return `<!doctype html><html lang="${e(report.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(t.title)}</title><style>${STYLE}</style></head><body>
<h1>${e(t.title)}</h1><p>${e(t.intro)}</p><p class="meta">${e(t.generated)}: ${e(report.generatedAt)}. ${e(t.deadline)}</p>
<p>${e(t.purpose)}</p>
${sections}
<h2>${e(t.categories.corrections)}</h2>${table(report.corrections.map((c) => ({ ...c, fields: c.fields.join(', ') })), t.columns)}
${report.devices ? devicesSection(report.devices, t) : ''}
<h2>${e(t.accessLog)}</h2>${report.accessLog.length ? table(report.accessLog, t.columns) : `<p>${e(t.nobody)}</p>`}
<h2>${e(t.transfers)}</h2><p>${e(t.noTransfers)}</p>
</body></html>`;
}

/** Sends the printable report, its page's CSP widened by exactly the hash of the report's own stylesheet. */
export function sendAccessReport(res: Response, report: Parameters<typeof renderAccessReport>[0]): void {
  allowStyleSource(res, ACCESS_REPORT_STYLE_SOURCE);
  res.type('html').send(renderAccessReport(report));
}
