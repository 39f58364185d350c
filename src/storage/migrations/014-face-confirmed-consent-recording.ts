import type { Migration } from './migration.js';

/**
 * Face-confirmed consent recording (docs/SECURITY.md). A consent keeps how its recording was confirmed
 * (`confirmation`): pending the enrolment that follows a phone's first consent, the selfie's submission, decision
 * and score, or the operator's identity check. A phone's later consent is a submission of kind `consent-record`: the
 * request row holds what the consent will say until the worker matched its selfie, and names the consent it became
 * (none when refused). Down keeps decided consent-record submissions (evidence): the old check is restored NOT VALID.
 */
export const faceConfirmedConsentRecording: Migration = {
  id: 14,
  name: 'face-confirmed-consent-recording',
  up: `
    ALTER TABLE submissions DROP CONSTRAINT submissions_kind_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_kind_check
      CHECK (kind IN ('enrollment','verification','consent-withdrawal','consent-record'));
    ALTER TABLE consents ADD COLUMN confirmation jsonb;
    CREATE INDEX consents_pending_confirmation_idx ON consents (subject_id)
      WHERE status = 'active' AND confirmation->>'method' = 'enrolment-pending';
    CREATE TABLE consent_record_requests (
      submission_id     uuid PRIMARY KEY,
      subject_id        uuid NOT NULL REFERENCES subjects(id),
      text_id           uuid NOT NULL REFERENCES consent_texts(id),
      purpose           text NOT NULL,
      scope             jsonb NOT NULL,
      channel           text NOT NULL CHECK (channel IN ('mobile-app-signature','e-signature')),
      evidence_blob_key text NOT NULL,
      evidence_sha256   text NOT NULL,
      device_id         text,
      ip                text,
      signed_at         timestamptz NOT NULL,
      requested_by      text NOT NULL,
      created_at        timestamptz NOT NULL,
      settled_at        timestamptz,
      consent_id        uuid REFERENCES consents(id)
    );
    CREATE INDEX consent_record_requests_subject_idx ON consent_record_requests (subject_id);
  `,
  down: `
    DROP TABLE consent_record_requests;
    DROP INDEX consents_pending_confirmation_idx;
    ALTER TABLE consents DROP COLUMN confirmation;
    ALTER TABLE submissions DROP CONSTRAINT submissions_kind_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_kind_check
      CHECK (kind IN ('enrollment','verification','consent-withdrawal')) NOT VALID;
  `,
};
