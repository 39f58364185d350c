/**
 * `npm audit` for production dependencies, failing on high or critical advisories unless the advisory is
 * listed with a reason in audit-allowlist.json. Where the registry's audit endpoint cannot be reached
 * (as on machines that see only a registry mirror), it says so plainly and does not fail the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

interface Allowed { readonly id: string; readonly reason: string }
const allowlist: Allowed[] = existsSync('audit-allowlist.json') ? JSON.parse(readFileSync('audit-allowlist.json', 'utf8')) : [];
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report: { vulnerabilities?: Record<string, { severity: string; via: (string | { url?: string; source?: number; title?: string })[] }>; error?: { summary?: string } };
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  report = {};
}
if (!report.vulnerabilities) {
  console.log(`audit: the advisory endpoint could not be used here (${report.error?.summary || run.stderr.split('\n').find((l) => l.includes('audit')) || 'no answer'}); dependencies NOT checked`);
  process.exit(0);
}
const blocking = Object.entries(report.vulnerabilities)
  .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
  .filter(([name, v]) => !allowlist.some((a) => a.id === name || v.via.some((via) => typeof via === 'object' && String(via.source) === a.id)));
for (const [name, v] of blocking) console.log(`audit: ${v.severity} ${name}`);
console.log(`audit: ${blocking.length} blocking advisories (${allowlist.length} allow-listed with a reason)`);
process.exit(blocking.length ? 1 : 0);
