import type { Migration } from './migration.js';

/**
 * Re-verification campaigns: cohort attributes of subjects, campaigns with their resumable steps,
 * one membership row per (campaign, subject) and an outbox of signed webhook deliveries.
 *
 * The primary key of campaign_subjects is what makes "nobody is invited twice" true whatever the
 * queue does; the unique (campaign_id, subject_id, kind) of deliveries does the same for messages.
 */
export const reverificationCampaigns: Migration = {
  id: 5,
  name: 'campaigns',
  up: `
    -- What an office selects a cohort by. Plain columns (not sealed like the passport) because SQL filters on them;
    -- kept to the minimum: region and office codes and the birth year, no name or date of birth.
    CREATE TABLE subject_attributes (
      subject_id  uuid PRIMARY KEY REFERENCES subjects(id),
      region      text,
      office      text,
      birth_year  integer CHECK (birth_year BETWEEN 1900 AND 2100),
      updated_at  timestamptz NOT NULL,
      updated_by  text NOT NULL
    );
    CREATE INDEX subject_attributes_region_idx ON subject_attributes (region, subject_id);
    CREATE INDEX subject_attributes_office_idx ON subject_attributes (office, subject_id);
    CREATE INDEX subject_attributes_birth_year_idx ON subject_attributes (birth_year, subject_id);

    CREATE TABLE campaign_templates (
      id            uuid PRIMARY KEY,
      name          text NOT NULL,
      cohort        jsonb NOT NULL,
      recurrence    text NOT NULL CHECK (recurrence IN ('yearly','quarterly','monthly')),
      anchor_month  integer NOT NULL CHECK (anchor_month BETWEEN 1 AND 12),
      anchor_day    integer NOT NULL CHECK (anchor_day BETWEEN 1 AND 28),
      window_days   integer NOT NULL CHECK (window_days > 0),
      grace_days    integer NOT NULL CHECK (grace_days >= 0),
      reminders     jsonb NOT NULL,
      auto_start    boolean NOT NULL,
      active        boolean NOT NULL DEFAULT true,
      created_at    timestamptz NOT NULL,
      created_by    text NOT NULL
    );

    CREATE TABLE campaigns (
      id            uuid PRIMARY KEY,
      name          text NOT NULL,
      status        text NOT NULL CHECK (status IN ('draft','running','paused','closed','cancelled')),
      cohort        jsonb NOT NULL,
      opens_at      timestamptz NOT NULL,
      due_at        timestamptz NOT NULL,
      grace_days    integer NOT NULL CHECK (grace_days >= 0),
      reminders     jsonb NOT NULL,
      template_id   uuid REFERENCES campaign_templates(id),
      period_key    text,
      created_at    timestamptz NOT NULL,
      created_by    text NOT NULL,
      started_at    timestamptz,
      paused_at     timestamptz,
      closed_at     timestamptz,
      cancelled_at  timestamptz,
      cancel_reason text,
      CHECK (due_at > opens_at),
      UNIQUE (template_id, period_key)
    );
    CREATE INDEX campaigns_status_idx ON campaigns (status, created_at);

    -- The resumable steps of a campaign (invite, each reminder, close). cursor is the last subject id a
    -- step committed: a worker killed mid fan-out is replaced by one that continues after it.
    CREATE TABLE campaign_steps (
      campaign_id   uuid NOT NULL REFERENCES campaigns(id),
      step          text NOT NULL,
      due_at        timestamptz NOT NULL,
      cursor        uuid,
      processed     integer NOT NULL DEFAULT 0,
      affected      integer NOT NULL DEFAULT 0,
      started_at    timestamptz,
      done_at       timestamptz,
      outcome       text,
      PRIMARY KEY (campaign_id, step)
    );

    CREATE TABLE campaign_subjects (
      campaign_id       uuid NOT NULL REFERENCES campaigns(id),
      subject_id        uuid NOT NULL REFERENCES subjects(id),
      state             text NOT NULL CHECK (state IN
                          ('invited','verified','needs_review','rejected','overdue','exempt','verified_in_person')),
      invited_at        timestamptz NOT NULL,
      submission_id     uuid REFERENCES submissions(id),
      state_changed_at  timestamptz NOT NULL,
      overdue_at        timestamptz,
      resolved_by       text,
      resolution_reason text,
      PRIMARY KEY (campaign_id, subject_id)
    );
    CREATE INDEX campaign_subjects_state_idx ON campaign_subjects (campaign_id, state, subject_id);
    CREATE INDEX campaign_subjects_subject_idx ON campaign_subjects (subject_id);

    -- Outbox of webhook messages. The row is the truth (sent once, dead-lettered after N attempts);
    -- the BullMQ job (jobId webhook-<id>) is only how it gets sent.
    CREATE TABLE campaign_deliveries (
      id              uuid PRIMARY KEY,
      campaign_id     uuid NOT NULL,
      subject_id      uuid NOT NULL,
      channel         text NOT NULL CHECK (channel IN ('notify','payment')),
      kind            text NOT NULL,
      status          text NOT NULL CHECK (status IN ('pending','sent','dead','cancelled','superseded')),
      attempts        integer NOT NULL DEFAULT 0,
      last_error      text,
      response_status integer,
      created_at      timestamptz NOT NULL,
      enqueued_at     timestamptz,
      finished_at     timestamptz,
      UNIQUE (campaign_id, subject_id, kind),
      FOREIGN KEY (campaign_id, subject_id) REFERENCES campaign_subjects (campaign_id, subject_id)
    );
    CREATE INDEX campaign_deliveries_status_idx ON campaign_deliveries (campaign_id, status);
    CREATE INDEX campaign_deliveries_undispatched_idx ON campaign_deliveries (created_at, id)
      WHERE status = 'pending' AND enqueued_at IS NULL;

    -- Watermarks of incremental passes (the submissions reconcile).
    CREATE TABLE campaign_sync (
      name       text PRIMARY KEY,
      watermark  timestamptz NOT NULL
    );

    CREATE INDEX submissions_completed_idx ON submissions (completed_at) WHERE status = 'completed';
  `,
  down: `
    DROP INDEX submissions_completed_idx;
    DROP TABLE campaign_sync;
    DROP TABLE campaign_deliveries;
    DROP TABLE campaign_subjects;
    DROP TABLE campaign_steps;
    DROP TABLE campaigns;
    DROP TABLE campaign_templates;
    DROP TABLE subject_attributes;
  `,
};
