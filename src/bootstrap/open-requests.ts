import type { IncomingMessage, Server } from 'node:http';

/** The requests a server is answering, for a draining shutdown and for naming what hung. */
export interface OpenRequests {
  readonly count: number;
  /** Open requests by method and route pattern, e.g. { 'GET /v1/campaigns': 2 }. */
  byRoute(): Record<string, number>;
  /** Resolves true once none is open, or false after `ms`. */
  drained(ms: number): Promise<boolean>;
}

/** Tracks a server's requests from arrival until their response closes (sent, or the connection gone). */
export function trackOpenRequests(server: Server): OpenRequests {
  const open = new Set<IncomingMessage>();
  let waiters: (() => void)[] = [];
  server.on('request', (req: IncomingMessage, res) => {
    open.add(req);
    res.once('close', () => {
      open.delete(req);
      if (!open.size) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
  });
  return {
    get count() {
      return open.size;
    },
    byRoute() {
      const counts: Record<string, number> = {};
      for (const req of open) {
        const key = `${req.method} ${routeOf(req)}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    drained(ms) {
      if (!open.size) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

/** The route pattern express matched (never the URL: it carries pension numbers); "(unrouted)" before a match. */
function routeOf(req: IncomingMessage): string {
  const r = req as IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
  return typeof r.route?.path === 'string' ? `${r.baseUrl ?? ''}${r.route.path}` : '(unrouted)';
}
