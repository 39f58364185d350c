import type { Migration } from './migration.js';

/**
 * Device credentials: what a phone shows to act for one subject (docs/SECURITY.md), and the one-time activation codes
 * an operator issues at the office. Secrets are stored as SHA-256 hex only: a token carries 256 random bits and a code
 * 80, so a slow hash would buy nothing against a stolen table and would cost every request.
 *
 * A credential issued with an enrolment is pending (`activated_at` null) until that enrolment is verified.
 */
export const deviceCredentials: Migration = {
  id: 10,
  name: 'device-credentials',
  up: `
    CREATE TABLE device_credentials (
      id                        text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
      subject_id                uuid NOT NULL REFERENCES subjects(id),
      secret_hash               text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
      label                     text,
      issued_via                text NOT NULL CHECK (issued_via IN ('enrollment','activation-code')),
      issued_by                 text NOT NULL,
      enrollment_submission_id  uuid REFERENCES submissions(id),
      created_at                timestamptz NOT NULL,
      activated_at              timestamptz,
      expires_at                timestamptz NOT NULL,
      last_used_at              timestamptz,
      revoked_at                timestamptz,
      revoked_by                text,
      revocation_reason         text,
      CHECK ((issued_via = 'enrollment') = (enrollment_submission_id IS NOT NULL))
    );
    CREATE INDEX device_credentials_subject_idx ON device_credentials (subject_id);
    CREATE INDEX device_credentials_submission_idx ON device_credentials (enrollment_submission_id);

    CREATE TABLE activation_codes (
      id             uuid PRIMARY KEY,
      code_hash      text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
      subject_id     uuid NOT NULL REFERENCES subjects(id),
      issued_by      text NOT NULL,
      created_at     timestamptz NOT NULL,
      expires_at     timestamptz NOT NULL,
      used_at        timestamptz,
      credential_id  text REFERENCES device_credentials(id)
    );
    CREATE INDEX activation_codes_subject_idx ON activation_codes (subject_id);

    -- Which phone sent which verification: a phone's failed checks lock that phone out before they can add up to its
    -- subject's lockout. Ids only; removed with the credential's subject like the submissions they name.
    CREATE TABLE device_submissions (
      submission_id  uuid PRIMARY KEY,
      credential_id  text NOT NULL REFERENCES device_credentials(id),
      created_at     timestamptz NOT NULL
    );
    CREATE INDEX device_submissions_credential_idx ON device_submissions (credential_id, created_at);

    -- The audit trail names the phone (device:<id>), never the shared app key.
    ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_type_check;
    ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check
      CHECK (actor_type IN ('api-key','device','staff','system','anonymous'));

    -- Idempotency keys are scoped per caller: an API key's id, or device:<id> for a phone.
    ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_api_key_id_fkey;
    ALTER TABLE idempotency_keys ALTER COLUMN api_key_id TYPE text USING api_key_id::text;
  `,
  down: `
    DELETE FROM idempotency_keys WHERE api_key_id LIKE 'device:%';
    ALTER TABLE idempotency_keys ALTER COLUMN api_key_id TYPE uuid USING api_key_id::uuid;
    ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_api_key_id_fkey FOREIGN KEY (api_key_id) REFERENCES api_keys(id);
    -- The append-only trail keeps any device rows: the old rule holds for new rows only.
    ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_type_check;
    ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check
      CHECK (actor_type IN ('api-key','staff','system','anonymous')) NOT VALID;
    DROP TABLE device_submissions;
    DROP TABLE activation_codes;
    DROP TABLE device_credentials;
  `,
};
