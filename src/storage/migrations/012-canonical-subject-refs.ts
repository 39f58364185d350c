import type { Migration } from './migration.js';

/**
 * Pension numbers stored in their canonical spelling (upper case; see canonicalSubjectRef), and kept so by a check.
 *
 * Ids stored before were already ASCII (the API's pattern), so upper() is the whole fold. Two rows that fold to the
 * same number may be one pensioner registered twice, or two people an office keeps apart by case: which one is the
 * record to keep (consents, references, results) is an office's decision, not a migration's, so the migration stops
 * and says how to find them instead of merging. README ("Pension numbers") gives the steps. The numbers
 * themselves are not put in the message: it ends up in logs.
 *
 * Down drops only the check: the original spelling is not kept, and upper case satisfies the old schema.
 */
export const canonicalSubjectRefs: Migration = {
  id: 12,
  name: 'canonical-subject-refs',
  up: `
    DO $$
    DECLARE clashes integer;
    BEGIN
      SELECT count(*) INTO clashes FROM (
        SELECT upper(external_ref) FROM subjects GROUP BY upper(external_ref) HAVING count(*) > 1
      ) AS folded;
      IF clashes > 0 THEN
        RAISE EXCEPTION '% pension number(s) are held by more than one subject once letter case is ignored (e.g. pn-10 and PN-10): decide which record is right and give the other its own number, then start again. Find them with: SELECT upper(external_ref), array_agg(external_ref) FROM subjects GROUP BY 1 HAVING count(*) > 1', clashes;
      END IF;
    END $$;
    UPDATE subjects SET external_ref = upper(external_ref) WHERE external_ref <> upper(external_ref);
    ALTER TABLE subjects ADD CONSTRAINT subjects_external_ref_canonical CHECK (external_ref = upper(external_ref));
  `,
  down: `
    ALTER TABLE subjects DROP CONSTRAINT subjects_external_ref_canonical;
  `,
};
