import type { Migration } from './migration.js';

/** The verification spine: keys, subjects, submissions, templates and the retention ledger. */
export const initialSchema: Migration = {
  id: 1,
  name: 'initial-schema',
  up: `
    CREATE TABLE api_keys (
      id            uuid PRIMARY KEY,
      key_id        text NOT NULL UNIQUE,
      secret_hash   text NOT NULL,
      role          text NOT NULL CHECK (role IN ('mobile-client','reviewer','operator','auditor','admin')),
      label         text,
      created_at    timestamptz NOT NULL DEFAULT now(),
      revoked_at    timestamptz
    );

    CREATE TABLE subjects (
      id            uuid PRIMARY KEY,
      external_ref  text NOT NULL UNIQUE,
      status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active','closed','erased')),
      passport_enc  bytea,
      enrolled_at   timestamptz,
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    );

    -- Each subject's biometric data is encrypted with its own data key, wrapped by the master key,
    -- so that destroying this row makes every copy of that subject's blobs unreadable.
    CREATE TABLE subject_keys (
      subject_id    uuid PRIMARY KEY REFERENCES subjects(id),
      wrapped_key   bytea,
      created_at    timestamptz NOT NULL DEFAULT now(),
      destroyed_at  timestamptz
    );

    CREATE TABLE submissions (
      id            uuid PRIMARY KEY,
      subject_id    uuid NOT NULL REFERENCES subjects(id),
      kind          text NOT NULL CHECK (kind IN ('enrollment','verification')),
      status        text NOT NULL CHECK (status IN ('queued','processing','completed','failed')),
      decision      text CHECK (decision IN ('verified','needs_review','rejected')),
      reasons       jsonb NOT NULL DEFAULT '[]',
      result        jsonb,
      attempts      integer NOT NULL DEFAULT 0,
      created_at    timestamptz NOT NULL DEFAULT now(),
      started_at    timestamptz,
      completed_at  timestamptz
    );
    CREATE INDEX submissions_subject_idx ON submissions (subject_id, created_at);
    CREATE INDEX submissions_status_idx ON submissions (status, created_at);

    CREATE TABLE reference_templates (
      id            uuid PRIMARY KEY,
      subject_id    uuid NOT NULL REFERENCES subjects(id),
      submission_id uuid NOT NULL REFERENCES submissions(id),
      source        text NOT NULL CHECK (source IN ('selfie','document')),
      model         text NOT NULL,
      model_version text NOT NULL,
      status        text NOT NULL CHECK (status IN ('active','pending_review','superseded')),
      embedding_enc bytea,
      face_score    real NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      deleted_at    timestamptz,
      UNIQUE (submission_id, source)
    );
    CREATE INDEX reference_templates_subject_idx ON reference_templates (subject_id) WHERE deleted_at IS NULL;

    -- The retention ledger: one row per stored item. delete_at is the truth for purging;
    -- NULL means "until an event" named by delete_condition.
    CREATE TABLE stored_items (
      id               uuid PRIMARY KEY,
      subject_id       uuid NOT NULL REFERENCES subjects(id),
      submission_id    uuid REFERENCES submissions(id),
      item_class       text NOT NULL CHECK (item_class IN ('selfie_image','document_image','reference_template','result')),
      role             text,
      blob_key         text,
      template_id      uuid REFERENCES reference_templates(id),
      policy           text NOT NULL,
      delete_at        timestamptz,
      delete_condition text,
      created_at       timestamptz NOT NULL DEFAULT now(),
      deleted_at       timestamptz
    );
    CREATE INDEX stored_items_submission_idx ON stored_items (submission_id);
    CREATE INDEX stored_items_due_idx ON stored_items (delete_at) WHERE deleted_at IS NULL;

    CREATE TABLE idempotency_keys (
      api_key_id      uuid NOT NULL REFERENCES api_keys(id),
      idempotency_key text NOT NULL,
      request_hash    text NOT NULL,
      status_code     integer,
      response        jsonb,
      location        text,
      created_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (api_key_id, idempotency_key)
    );
  `,
  down: `
    DROP TABLE idempotency_keys;
    DROP TABLE stored_items;
    DROP TABLE reference_templates;
    DROP TABLE submissions;
    DROP TABLE subject_keys;
    DROP TABLE subjects;
    DROP TABLE api_keys;
  `,
};
