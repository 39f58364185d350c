import type { Migration } from './migration.js';

/** Staff accounts and sessions for the review dashboard; the human review of a submission. */
export const reviewAndStaff: Migration = {
  id: 4,
  name: 'review-and-staff',
  up: `
    CREATE TABLE staff_users (
      id             uuid PRIMARY KEY,
      username       text NOT NULL UNIQUE,
      display_name   text NOT NULL,
      role           text NOT NULL CHECK (role IN ('reviewer','operator','auditor','admin')),
      password_hash  text NOT NULL,
      failed_logins  integer NOT NULL DEFAULT 0,
      locked_until   timestamptz,
      created_at     timestamptz NOT NULL DEFAULT now(),
      disabled_at    timestamptz
    );

    CREATE TABLE staff_sessions (
      token_hash   text PRIMARY KEY,
      user_id      uuid NOT NULL REFERENCES staff_users(id),
      csrf_token   text NOT NULL,
      created_at   timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at   timestamptz NOT NULL,
      revoked_at   timestamptz
    );
    CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

    -- The machine's decision is kept when a person overrides it.
    ALTER TABLE submissions ADD COLUMN machine_decision text;
    ALTER TABLE submissions ADD COLUMN claimed_by uuid REFERENCES staff_users(id);
    ALTER TABLE submissions ADD COLUMN claimed_at timestamptz;
    ALTER TABLE submissions ADD COLUMN review jsonb;
    CREATE INDEX submissions_review_queue_idx ON submissions (completed_at) WHERE decision = 'needs_review';
  `,
  down: `
    DROP INDEX submissions_review_queue_idx;
    ALTER TABLE submissions DROP COLUMN review;
    ALTER TABLE submissions DROP COLUMN claimed_at;
    ALTER TABLE submissions DROP COLUMN claimed_by;
    ALTER TABLE submissions DROP COLUMN machine_decision;
    DROP TABLE staff_sessions;
    DROP TABLE staff_users;
  `,
};
