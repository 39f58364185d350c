import type { RouteSpec } from '../route-spec.js';

/** A dependency that /readyz asks. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

const TIMEOUT_MS = 2000;

async function probe(c: ReadinessCheck): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS);
  });
  try {
    await Promise.race([c.check(), timeout]);
    return { name: c.name, ok: true };
  } catch (error) {
    return { name: c.name, ok: false, error: (error as Error).message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(checks: readonly ReadinessCheck[]): RouteSpec[] {
  return [
    {
      method: 'get', path: '/healthz', summary: 'Liveness: the process answers', roles: 'public',
      responses: { 200: { description: 'Alive' } },
      handler: (_req, res) => {
        res.json({ status: 'ok' });
      },
    },
    {
      method: 'get', path: '/readyz', summary: 'Readiness: database, Redis and models', roles: 'public',
      responses: { 200: { description: 'Ready' }, 503: { description: 'A dependency is down (named in checks)' } },
      handler: async (_req, res) => {
        const results = await Promise.all(checks.map(probe));
        const ready = results.every((r) => r.ok);
        if (!ready) res.setHeader('Retry-After', '5');
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: results });
      },
    },
  ];
}
