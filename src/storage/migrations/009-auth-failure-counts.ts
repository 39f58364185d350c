import type { Migration } from './migration.js';

/**
 * Refused authentications as counts per source and minute, instead of one hash-chained audit row per 401: the audit
 * trail is append-only for good, and an unauthenticated caller must not be able to grow it (issue #16). One row per
 * source per minute at most; an unusual burst still leaves an alert in the audit trail (AuthFailureMonitor).
 */
export const authFailureCounts: Migration = {
  id: 9,
  name: 'auth-failure-counts',
  up: `
    CREATE TABLE auth_failures (
      source        text NOT NULL,
      window_start  timestamptz NOT NULL,
      failures      integer NOT NULL CHECK (failures > 0),
      last_at       timestamptz NOT NULL,
      PRIMARY KEY (source, window_start)
    );
    CREATE INDEX auth_failures_window_idx ON auth_failures (window_start);
  `,
  down: `
    DROP TABLE auth_failures;
  `,
};
