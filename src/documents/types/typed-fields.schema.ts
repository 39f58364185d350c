import { z } from 'zod';
import { MRZ_LAYOUTS } from '../mrz/mrz-format.js';
import { DOCUMENT_TYPES } from './document-type.schema.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').refine(
  (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  'not a calendar date',
);
const personName = z.string().trim().min(1).max(100).regex(/^[^\p{Cc}\p{Cf}]+$/u, 'contains control characters');
const mrzLengths = new Set(Object.values(MRZ_LAYOUTS).map((l) => `${l.lines}x${l.length}`));

/**
 * The typed fields of any document type (the API's request body for a document). The document type must be one of
 * document-types.json; MRZ lines, when sent, must have an ICAO shape.
 */
export const typedDocumentFieldsSchema = z
  .object({
    documentType: z.string().refine((c) => DOCUMENT_TYPES.has(c), 'unknown document type'),
    number: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4,20}$/, '4-20 letters or digits'),
    surname: personName,
    givenNames: personName,
    dateOfBirth: isoDate,
    expiryDate: isoDate.nullish(),
    mrz: z
      .array(z.string().trim().toUpperCase().regex(/^[A-Z0-9<]+$/, 'MRZ characters only (A-Z, 0-9, <)'))
      .refine((lines) => mrzLengths.has(`${lines.length}x${lines[0]?.length ?? 0}`) && lines.every((l) => l.length === lines[0]!.length), 'not an ICAO MRZ shape (3x30, 2x36, 2x44)')
      .nullish(),
  })
  .strict();
