import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Process metrics, exposed at /metrics in Prometheus text format. One registry per process. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'zinda_' });

export const metrics = {
  submissionsDecided: new Counter({
    name: 'zinda_submissions_decided_total', help: 'Submissions brought to a terminal state', labelNames: ['status', 'decision'] as const, registers: [registry],
  }),
  unusualAccessAlerts: new Counter({
    name: 'zinda_unusual_access_alerts_total', help: 'Alerts raised for unusual access to biometric data', registers: [registry],
  }),
  authDenied: new Counter({
    name: 'zinda_auth_denied_total', help: 'Requests refused for a missing/invalid key (401), a role (403) or a key id past its failure limit (429)', labelNames: ['status'] as const, registers: [registry],
  }),
  authFailureAlerts: new Counter({
    name: 'zinda_auth_failure_alerts_total', help: 'Alerts raised for one source failing authentication more than AUTH_FAILURE_ALERT_PER_MIN times in a minute', registers: [registry],
  }),
  itemsOverdue: new Gauge({
    name: 'zinda_retention_items_overdue', help: 'Stored items past their delete_at and not yet purged (should be 0)', registers: [registry],
  }),
  itemsPurged: new Counter({
    name: 'zinda_retention_items_purged_total', help: 'Stored items purged, per class', labelNames: ['item_class'] as const, registers: [registry],
  }),
};
