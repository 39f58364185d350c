import { createHash } from 'node:crypto';
import { CONSENT_TEXT_V1 } from './data/consent-text-v1.js';
import type { Migration } from './migration.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const seedTexts = Object.entries(CONSENT_TEXT_V1.texts).map(([language, body]) =>
  `(gen_random_uuid(), ${quote(CONSENT_TEXT_V1.version)}, ${quote(language)}, ${quote(CONSENT_TEXT_V1.purpose)}, ${quote(body)}, ` +
  `${quote(createHash('sha256').update(body, 'utf8').digest('hex'))})`).join(',\n      ');

/**
 * Consent ledger (Art. 17, 11), corrections (Art. 8(5), 15) and the hash-chained audit trail (Art. 25).
 * Consent texts and audit entries are append-only: triggers refuse UPDATE and DELETE.
 */
export const consentAndAudit: Migration = {
  id: 2,
  name: 'consent-and-audit',
  up: `
    CREATE FUNCTION zinda_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$;

    CREATE TABLE consent_texts (
      id             uuid PRIMARY KEY,
      version        text NOT NULL,
      language       text NOT NULL CHECK (language IN ('tg','ru','en')),
      purpose        text NOT NULL,
      body           text NOT NULL,
      content_sha256 text NOT NULL,
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (version, language)
    );
    CREATE TRIGGER consent_texts_immutable BEFORE UPDATE OR DELETE ON consent_texts
      FOR EACH ROW EXECUTE FUNCTION zinda_refuse_change();
    INSERT INTO consent_texts (id, version, language, purpose, body, content_sha256) VALUES
      ${seedTexts};

    CREATE TABLE consents (
      id                 uuid PRIMARY KEY,
      subject_id         uuid NOT NULL REFERENCES subjects(id),
      text_id            uuid NOT NULL REFERENCES consent_texts(id),
      purpose            text NOT NULL,
      scope              jsonb NOT NULL,
      channel            text NOT NULL CHECK (channel IN ('mobile-app-signature','e-signature','paper-scan')),
      witness            text,
      evidence_blob_key  text,
      evidence_sha256    text NOT NULL,
      device_id          text,
      ip                 text,
      signed_at          timestamptz NOT NULL,
      recorded_at        timestamptz NOT NULL,
      recorded_by        text NOT NULL,
      status             text NOT NULL CHECK (status IN ('active','withdrawn')),
      withdrawn_at       timestamptz,
      withdrawn_by       text,
      withdrawal_reason  text
    );
    CREATE INDEX consents_subject_idx ON consents (subject_id, recorded_at);

    CREATE TABLE subject_corrections (
      id          uuid PRIMARY KEY,
      subject_id  uuid NOT NULL REFERENCES subjects(id),
      fields      jsonb NOT NULL,
      reason      text NOT NULL,
      actor       text NOT NULL,
      corrected_at timestamptz NOT NULL
    );

    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_status_check;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_status_check
      CHECK (status IN ('active','pending_review','superseded','withdrawn'));

    ALTER TABLE subjects ADD COLUMN closed_at timestamptz;
    ALTER TABLE subjects ADD COLUMN erased_at timestamptz;
    ALTER TABLE subjects ADD COLUMN erasure_reason text;
    ALTER TABLE subjects ADD COLUMN language text NOT NULL DEFAULT 'tg' CHECK (language IN ('tg','ru','en'));

    CREATE TABLE audit_log (
      seq         bigserial PRIMARY KEY,
      id          uuid NOT NULL UNIQUE,
      at          timestamptz NOT NULL,
      actor_type  text NOT NULL CHECK (actor_type IN ('api-key','staff','system','anonymous')),
      actor_id    text,
      role        text,
      action      text NOT NULL,
      purpose     text,
      subject_id  uuid,
      target_type text,
      target_id   text,
      outcome     text NOT NULL,
      details     jsonb NOT NULL DEFAULT '{}',
      prev_hash   text NOT NULL,
      hash        text NOT NULL
    );
    CREATE INDEX audit_subject_idx ON audit_log (subject_id, at);
    CREATE INDEX audit_actor_idx ON audit_log (actor_id, at);
    CREATE INDEX audit_action_idx ON audit_log (action, at);
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION zinda_refuse_change();
  `,
  down: `
    DROP TABLE audit_log;
    ALTER TABLE subjects DROP COLUMN language;
    ALTER TABLE subjects DROP COLUMN erasure_reason;
    ALTER TABLE subjects DROP COLUMN erased_at;
    ALTER TABLE subjects DROP COLUMN closed_at;
    DROP TABLE subject_corrections;
    ALTER TABLE reference_templates DROP CONSTRAINT reference_templates_status_check;
    ALTER TABLE reference_templates ADD CONSTRAINT reference_templates_status_check
      CHECK (status IN ('active','pending_review','superseded'));
    DROP TABLE consents;
    DROP TABLE consent_texts;
    DROP FUNCTION zinda_refuse_change();
  `,
};
