import type { WebhookTransport } from './campaign-ports.js';

/** POSTs with Node's fetch; no redirects followed (a signed message goes only where it was configured to). */
export const httpWebhookTransport: WebhookTransport = {
  async post(url, body, headers, timeoutMs) {
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  },
};
