import type { Migration } from './migration.js';

/** Legal holds, system data keys (rotatable with the master key) and a shorter-lived class for liveness frames. */
export const retentionEnforcement: Migration = {
  id: 3,
  name: 'retention-enforcement',
  up: `
    CREATE TABLE legal_holds (
      id          uuid PRIMARY KEY,
      subject_id  uuid NOT NULL REFERENCES subjects(id),
      reason      text NOT NULL,
      placed_by   text NOT NULL,
      placed_at   timestamptz NOT NULL,
      released_at timestamptz,
      released_by text
    );
    CREATE INDEX legal_holds_active_idx ON legal_holds (subject_id) WHERE released_at IS NULL;

    -- Keys that belong to the office rather than a subject (consent evidence); wrapped by the master key
    -- like subject keys, so a master-key rotation re-wraps them too.
    CREATE TABLE system_keys (
      name        text PRIMARY KEY,
      wrapped_key bytea NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE stored_items DROP CONSTRAINT stored_items_item_class_check;
    ALTER TABLE stored_items ADD CONSTRAINT stored_items_item_class_check
      CHECK (item_class IN ('selfie_image','document_image','liveness_frame','reference_template','result'));

    -- Why a promised deletion date moved later (never silently: Art. 14).
    CREATE TABLE retention_changes (
      id          uuid PRIMARY KEY,
      item_id     uuid NOT NULL REFERENCES stored_items(id),
      old_delete_at timestamptz,
      new_delete_at timestamptz,
      old_policy  text NOT NULL,
      new_policy  text NOT NULL,
      reason      text NOT NULL,
      changed_at  timestamptz NOT NULL
    );
  `,
  down: `
    DROP TABLE retention_changes;
    ALTER TABLE stored_items DROP CONSTRAINT stored_items_item_class_check;
    ALTER TABLE stored_items ADD CONSTRAINT stored_items_item_class_check
      CHECK (item_class IN ('selfie_image','document_image','reference_template','result'));
    DROP TABLE system_keys;
    DROP TABLE legal_holds;
  `,
};
