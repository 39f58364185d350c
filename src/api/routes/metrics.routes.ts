import { registry } from '../../shared/metrics.js';
import type { RouteSpec } from '../route-spec.js';

/** Prometheus metrics. Counts only, no personal data; expose on the internal network. */
export function metricsRoutes(): RouteSpec[] {
  return [{
    method: 'get', path: '/metrics', summary: 'Prometheus metrics of this process', roles: 'public',
    responses: { 200: { description: 'text/plain; version=0.0.4' } },
    handler: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  }];
}
