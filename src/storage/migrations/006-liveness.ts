import type { Migration } from './migration.js';

/**
 * Liveness: challenges with single-use nonces, how each submission redeemed one, perceptual fingerprints of
 * submitted images (replay detection), failed attempts and lockouts.
 *
 * A nonce is stored only as its sha256: it is a bearer secret for one response. The fingerprints describe whole
 * pictures at 32x32 (no face template, nothing a face can be rebuilt from); their 64 bits are also kept as four
 * 16-bit parts so that a near match (a few bits apart) is found through an index (multi-index hashing).
 */
export const liveness: Migration = {
  id: 6,
  name: 'liveness',
  up: `
    CREATE TABLE liveness_challenges (
      id                  uuid PRIMARY KEY,
      subject_id          uuid NOT NULL REFERENCES subjects(id),
      nonce_hash          text NOT NULL UNIQUE,
      actions             jsonb NOT NULL,
      issued_at           timestamptz NOT NULL,
      expires_at          timestamptz NOT NULL,
      issued_by           text,
      used_at             timestamptz,
      used_by_submission  uuid,
      CHECK (expires_at > issued_at),
      CHECK ((used_at IS NULL) = (used_by_submission IS NULL))
    );
    CREATE INDEX liveness_challenges_subject_idx ON liveness_challenges (subject_id, issued_at);

    -- What a submission presented: the nonce's state when it was redeemed (atomically, at upload) and the frames.
    CREATE TABLE submission_liveness (
      submission_id  uuid PRIMARY KEY REFERENCES submissions(id),
      subject_id     uuid NOT NULL REFERENCES subjects(id),
      challenge_id   uuid REFERENCES liveness_challenges(id),
      nonce_state    text NOT NULL CHECK (nonce_state IN ('ok','unknown','expired','used','wrong_subject')),
      frame_count    integer NOT NULL CHECK (frame_count >= 0),
      created_at     timestamptz NOT NULL
    );

    CREATE TABLE image_fingerprints (
      id             uuid PRIMARY KEY,
      subject_id     uuid NOT NULL REFERENCES subjects(id),
      submission_id  uuid NOT NULL REFERENCES submissions(id),
      role           text NOT NULL,
      phash          text NOT NULL CHECK (phash ~ '^[0-9a-f]{16}$'),
      p0             integer NOT NULL,
      p1             integer NOT NULL,
      p2             integer NOT NULL,
      p3             integer NOT NULL,
      sha256         text NOT NULL,
      created_at     timestamptz NOT NULL,
      UNIQUE (submission_id, role)
    );
    CREATE INDEX image_fingerprints_subject_idx ON image_fingerprints (subject_id, created_at);
    CREATE INDEX image_fingerprints_sha_idx ON image_fingerprints (sha256);
    CREATE INDEX image_fingerprints_p0_idx ON image_fingerprints (role, p0);
    CREATE INDEX image_fingerprints_p1_idx ON image_fingerprints (role, p1);
    CREATE INDEX image_fingerprints_p2_idx ON image_fingerprints (role, p2);
    CREATE INDEX image_fingerprints_p3_idx ON image_fingerprints (role, p3);

    -- Failed verification attempts (codes only) and the lockout they lead to.
    CREATE TABLE verification_failures (
      submission_id  uuid PRIMARY KEY REFERENCES submissions(id),
      subject_id     uuid NOT NULL REFERENCES subjects(id),
      failed_at      timestamptz NOT NULL,
      reasons        jsonb NOT NULL
    );
    CREATE INDEX verification_failures_subject_idx ON verification_failures (subject_id, failed_at);

    CREATE TABLE subject_lockouts (
      subject_id    uuid PRIMARY KEY REFERENCES subjects(id),
      locked_at     timestamptz NOT NULL,
      locked_until  timestamptz NOT NULL,
      failures      integer NOT NULL,
      CHECK (locked_until > locked_at)
    );
  `,
  down: `
    DROP TABLE subject_lockouts;
    DROP TABLE verification_failures;
    DROP TABLE image_fingerprints;
    DROP TABLE submission_liveness;
    DROP TABLE liveness_challenges;
  `,
};
