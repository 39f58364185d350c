import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Adds one source to the style-src directive of the Content-Security-Policy already set on the response (helmet's),
 * every other directive left as it is: one page's own inline stylesheet is allowed, by hash, and nothing else.
 */
export function allowStyleSource(res: Response, source: string): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  res.setHeader('Content-Security-Policy', /(^|;)\s*style-src\s/.test(policy)
    ? policy.replace(/((?:^|;)\s*style-src)([^;]*)/, `$1$2 ${source}`)
    : `${policy};style-src 'self' ${source}`);
}
