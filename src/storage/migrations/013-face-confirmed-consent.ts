import type { Migration } from './migration.js';

/**
 * Face-confirmed consent actions (docs/SECURITY.md): a phone's withdrawal is a submission of kind `consent-withdrawal`
 * whose selfie the worker matches with the subject's references; the request row says which consent and why, and
 * the consent keeps how its withdrawal was confirmed (the selfie's submission, decision and score, or the
 * operator's identity check at the office). Down keeps decided withdrawal submissions (evidence): the old check is
 * restored NOT VALID, for new rows only.
 */
export const faceConfirmedConsent: Migration = {
  id: 13,
  name: 'face-confirmed-consent',
  up: `
    ALTER TABLE submissions DROP CONSTRAINT submissions_kind_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_kind_check CHECK (kind IN ('enrollment','verification','consent-withdrawal'));
    CREATE TABLE consent_withdrawal_requests (
      submission_id  uuid PRIMARY KEY,
      subject_id     uuid NOT NULL REFERENCES subjects(id),
      consent_id     uuid NOT NULL REFERENCES consents(id),
      reason         text NOT NULL,
      requested_by   text NOT NULL,
      created_at     timestamptz NOT NULL,
      settled_at     timestamptz,
      carried_out    boolean
    );
    CREATE INDEX consent_withdrawal_requests_subject_idx ON consent_withdrawal_requests (subject_id);
    ALTER TABLE consents ADD COLUMN withdrawal_confirmation jsonb;
  `,
  down: `
    ALTER TABLE consents DROP COLUMN withdrawal_confirmation;
    DROP TABLE consent_withdrawal_requests;
    ALTER TABLE submissions DROP CONSTRAINT submissions_kind_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_kind_check CHECK (kind IN ('enrollment','verification')) NOT VALID;
  `,
};
