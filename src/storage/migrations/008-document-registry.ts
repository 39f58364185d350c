import type { Migration } from './migration.js';

/**
 * The document registry: the same identity document presented for two subjects.
 *
 * Document numbers are personal data and live sealed in the subject record; here each is kept only as a keyed hash
 * (HMAC-SHA256 under an office key wrapped by the master key): equal numbers meet, and without the key the small
 * space of document numbers cannot be enumerated from a copy of the database. The issuing state likewise.
 *
 * A document photo is kept as two perceptual hashes: 64 bits of the upright page and 256 bits of the region around
 * its portrait (the part that tells two documents of one design apart). Neither is a face template: they are the
 * signs of brightness steps at 9x8 and 17x16 pixels, and two photos of the same person land about as far apart as two
 * strangers
 * (docs/DOCUMENTS.md). `upright`: the page was turned upright by its MRZ before hashing; otherwise it was hashed as
 * photographed and is compared in all four turns. A fingerprint belongs to the stored document image it came from
 * and is deleted with it.
 */
export const documentRegistry: Migration = {
  id: 8,
  name: 'document-registry',
  up: `
    CREATE TABLE document_number_hashes (
      subject_id   uuid NOT NULL REFERENCES subjects(id),
      number_hash  text NOT NULL CHECK (number_hash ~ '^[0-9a-f]{64}$'),
      source       text NOT NULL CHECK (source IN ('typed','mrz')),
      issuer_hash  text CHECK (issuer_hash ~ '^[0-9a-f]{64}$'),
      recorded_at  timestamptz NOT NULL,
      PRIMARY KEY (subject_id, number_hash)
    );
    CREATE INDEX document_number_hashes_number_idx ON document_number_hashes (number_hash);

    CREATE TABLE document_fingerprints (
      document_item_id  uuid PRIMARY KEY REFERENCES stored_items(id),
      subject_id        uuid NOT NULL REFERENCES subjects(id),
      submission_id     uuid NOT NULL REFERENCES submissions(id),
      page_hash         bit(64) NOT NULL,
      portrait_hash     bit(256) NOT NULL,
      upright           boolean NOT NULL,
      created_at        timestamptz NOT NULL
    );
    CREATE INDEX document_fingerprints_subject_idx ON document_fingerprints (subject_id);
  `,
  down: `
    DROP TABLE document_fingerprints;
    DROP TABLE document_number_hashes;
  `,
};
