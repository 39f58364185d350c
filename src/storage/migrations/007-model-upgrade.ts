import type { Migration } from './migration.js';

/**
 * Model upgrade batches: reference templates re-extracted with a new model from retained images, or
 * subjects marked for re-enrolment where retention has already deleted them.
 *
 * A submission may now hold one template per source *per model version* (the old one superseded, the
 * new one active), so the unique key of reference_templates grows by model and model_version. The
 * primary key of model_upgrade_subjects is what makes "nobody is processed twice" true whatever the
 * queue does. `down` restores the old key and therefore refuses to run while re-extracted templates
 * exist (it would otherwise have to delete someone's references).
 */
export const modelUpgrade: Migration = {
  id: 7,
  name: 'model-upgrade',
  up: `
    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_submission_id_source_key;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_submission_source_model_key
      UNIQUE (submission_id, source, model, model_version);
    -- The upgrade's cohort: subjects with a usable template, found by subject id in keyset order.
    CREATE INDEX reference_templates_usable_idx ON reference_templates (subject_id, model, model_version)
      WHERE status IN ('active','pending_review') AND deleted_at IS NULL;

    -- Set when a model upgrade could not re-extract any reference (images already deleted, or no face
    -- found by the new model); cleared by the next successful enrolment.
    ALTER TABLE subjects ADD COLUMN reenrolment_required_at timestamptz;
    ALTER TABLE subjects ADD COLUMN reenrolment_reason text;

    CREATE TABLE model_upgrade_batches (
      id                      uuid PRIMARY KEY,
      target_model            text NOT NULL,
      target_version          text NOT NULL,
      state                   text NOT NULL CHECK (state IN ('running','paused','completed','cancelled')),
      superseded_grace_days   integer NOT NULL CHECK (superseded_grace_days BETWEEN 0 AND 365),
      -- The fan-out's keyset cursor: the last subject id it committed to model_upgrade_subjects.
      cursor                  uuid,
      fanout_done_at          timestamptz,
      queued                  integer NOT NULL DEFAULT 0,
      re_extracted            integer NOT NULL DEFAULT 0,
      marked_for_reenrolment  integer NOT NULL DEFAULT 0,
      failed                  integer NOT NULL DEFAULT 0,
      skipped                 integer NOT NULL DEFAULT 0,
      created_at              timestamptz NOT NULL,
      created_by              text NOT NULL,
      paused_at               timestamptz,
      finished_at             timestamptz,
      cancel_reason           text,
      last_error              text
    );
    -- One open batch at a time: two would race for the same subjects' templates.
    CREATE UNIQUE INDEX model_upgrade_batches_one_open_idx ON model_upgrade_batches ((true))
      WHERE state IN ('running','paused');

    CREATE TABLE model_upgrade_subjects (
      batch_id      uuid NOT NULL REFERENCES model_upgrade_batches(id),
      subject_id    uuid NOT NULL REFERENCES subjects(id),
      state         text NOT NULL CHECK (state IN ('pending','re_extracted','marked_for_reenrolment','failed','skipped')),
      reason        text,
      templates     integer NOT NULL DEFAULT 0,
      queued_at     timestamptz NOT NULL,
      enqueued_at   timestamptz,
      finished_at   timestamptz,
      PRIMARY KEY (batch_id, subject_id)
    );
    CREATE INDEX model_upgrade_subjects_pending_idx ON model_upgrade_subjects (batch_id, subject_id) WHERE state = 'pending';
    CREATE INDEX model_upgrade_subjects_state_idx ON model_upgrade_subjects (batch_id, state, subject_id);
  `,
  down: `
    DROP TABLE model_upgrade_subjects;
    DROP TABLE model_upgrade_batches;
    ALTER TABLE subjects DROP COLUMN reenrolment_reason;
    ALTER TABLE subjects DROP COLUMN reenrolment_required_at;
    DROP INDEX reference_templates_usable_idx;
    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_submission_source_model_key;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_submission_id_source_key UNIQUE (submission_id, source);
  `,
};
