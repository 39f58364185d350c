import { z } from 'zod';
import { DOCUMENT_TYPES } from '../../documents/types/document-type.schema.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').refine(
  (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  'not a calendar date',
);

// Names as printed, in any script (Tajik Cyrillic, Latin); control characters are never a name.
const personName = z.string().trim().min(1).max(100).regex(/^[^\p{Cc}\p{Cf}]+$/u, 'contains control characters');

/** Passport data-page fields typed by the pensioner or the operator. Personal data: stored encrypted only. */
export const passportSchema = z
  .object({
    /** Which identity document this is (src/documents/types/document-types.json); a Tajik passport unless said. */
    documentType: z.string().refine((c) => DOCUMENT_TYPES.has(c), 'unknown document type').default('tj_passport'),
    number: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{5,20}$/, '5-20 letters or digits'),
    surname: personName,
    givenNames: personName,
    dateOfBirth: isoDate,
    expiryDate: isoDate,
    mrz: z.array(z.string().regex(/^[A-Z0-9<]{30,44}$/, 'MRZ characters only (A-Z, 0-9, <)')).min(2).max(3).optional(),
  })
  .strict();

export type Passport = z.infer<typeof passportSchema>;
