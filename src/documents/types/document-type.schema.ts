import { z } from 'zod';
import { MRZ_STATE_CODES } from '../mrz/country-codes.js';
import { DOCUMENT_MRZ_FORMATS } from '../mrz/mrz-format.js';
// Imported rather than read from disk so that tsc copies it next to the compiled module in dist/.
import shipped from './document-types.json' with { type: 'json' };

/** Fields a document can carry; the typed fields a submission holds are checked against the MRZ where one exists. */
export const DOCUMENT_FIELDS = ['number', 'surname', 'givenNames', 'dateOfBirth', 'expiryDate', 'sex', 'nationality', 'personalNumber', 'portrait'] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];

const stateCode = z.string().refine((c) => MRZ_STATE_CODES.has(c), 'not an ICAO state code');
const regex = z.string().min(1).refine((r) => {
  try {
    new RegExp(r);
    return true;
  } catch {
    return false;
  }
}, 'not a regular expression');

const mrzRuleSchema = z
  .object({
    formats: z.array(z.enum(DOCUMENT_MRZ_FORMATS)).min(1),
    /** Regular expression the MRZ document code must match (e.g. `^P`). */
    documentCode: regex,
    issuingStates: z.array(stateCode).min(1).optional(),
    excludeIssuingStates: z.array(stateCode).min(1).optional(),
    nationalities: z.array(stateCode).min(1).optional(),
  })
  .strict();

export const documentTypeSchema = z
  .object({
    /** Stable identifier used by the API and stored with a submission (snake_case). */
    code: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
    names: z.object({ tg: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) }).strict(),
    /** Who holds it: decides nothing here, lets the office report on the people outside the citizen ID. */
    holder: z.enum(['citizen', 'foreign_national', 'stateless']),
    /** The MRZ the document carries, or null when it has none (its typed fields stay unverified). */
    mrz: mrzRuleSchema.nullable(),
    fields: z.array(z.enum(DOCUMENT_FIELDS)).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const f of ['number', 'surname', 'dateOfBirth'] as const) {
      if (!t.fields.includes(f)) ctx.addIssue({ code: 'custom', message: `a document type must carry ${f}`, path: ['fields'] });
    }
  });

export const documentTypesFileSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.literal(1),
    types: z.array(documentTypeSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.types.forEach((t, i) => {
      if (seen.has(t.code)) ctx.addIssue({ code: 'custom', message: `duplicate code ${t.code}`, path: ['types', i, 'code'] });
      seen.add(t.code);
    });
  });

/** One kind of identity document, as configured in document-types.json. */
export type DocumentType = z.infer<typeof documentTypeSchema>;
export type MrzRule = z.infer<typeof mrzRuleSchema>;

/**
 * Reads and validates a document-types file; throws listing every problem. The shipped file is read once, when
 * this module loads: a bad edit stops the start instead of failing submissions one by one.
 */
export function loadDocumentTypes(json: unknown): ReadonlyMap<string, DocumentType> {
  const parsed = documentTypesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid document types:\n  - ${problems.join('\n  - ')}`);
  }
  return new Map(parsed.data.types.map((t) => [t.code, t]));
}

/** The document types shipped with the service. */
export const DOCUMENT_TYPES: ReadonlyMap<string, DocumentType> = loadDocumentTypes(shipped);

/** Codes of the shipped types, for API schemas (`z.enum(documentTypeCodes())`). */
export function documentTypeCodes(): [string, ...string[]] {
  const codes = [...DOCUMENT_TYPES.keys()];
  return [codes[0]!, ...codes.slice(1)];
}
