import type { Migration } from './migration.js';

/**
 * The reference gallery: a proof-of-life selfie may join a subject's references, and the oldest such reference
 * leaves when a newer one joins. A reference that left that way is `retired` (its embedding deleted, the row kept
 * for the record), told apart from one withdrawn with consent. Which references are anchors (the enrolment's) and
 * which joined later is read from the submission they came from, so no column is added.
 *
 * Down turns retired rows into withdrawn ones (both have no embedding left) and restores the old check.
 */
export const referenceGallery: Migration = {
  id: 11,
  name: 'reference-gallery',
  up: `
    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_status_check;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_status_check
      CHECK (status IN ('active','pending_review','superseded','withdrawn','retired'));
    -- The gallery is read per subject and model, newest first, on every proof of life.
    CREATE INDEX reference_templates_gallery_idx ON reference_templates (subject_id, model, created_at DESC)
      WHERE deleted_at IS NULL AND status = 'active';
  `,
  down: `
    DROP INDEX reference_templates_gallery_idx;
    UPDATE reference_templates SET status = 'withdrawn' WHERE status = 'retired';
    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_status_check;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_status_check
      CHECK (status IN ('active','pending_review','superseded','withdrawn'));
  `,
};
