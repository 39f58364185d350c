import { z } from 'zod';
import type { Actor } from '../audit/audit-entry.js';
import { PURPOSE } from '../audit/audit-entry.js';
import type { AuditEvent } from '../audit/audit-entry.js';
import { passportSchema, type Passport } from '../subjects/passport.js';
import { canonicalSubjectRef, SUBJECT_REF_PATTERN, type Subject } from '../subjects/subject.js';
import type { RosterLine } from './roster-rows.js';

/** A roster row: the pension number, the document fields (as passportSchema) and the language of notices. */
const rosterRow = z.object({
  subjectId: z.string().transform(canonicalSubjectRef).pipe(z.string().regex(SUBJECT_REF_PATTERN, '3-40 letters, digits or dashes')),
  documentType: z.string().optional(),
  number: z.string(), surname: z.string(), givenNames: z.string(), dateOfBirth: z.string(), expiryDate: z.string(),
  language: z.enum(['tg', 'ru', 'en']).default('tg'),
}).transform(({ subjectId, language, ...fields }, ctx) => {
  const passport = passportSchema.safeParse({ ...fields, documentType: fields.documentType || undefined });
  if (!passport.success) {
    for (const issue of passport.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return { subjectId, language, passport: passport.data };
});

/** A row the import left out, and why; never the row's personal data. */
export interface RejectedRow {
  readonly line: number;
  readonly subjectId: string | null;
  readonly code: 'ROW_UNREADABLE' | 'ROW_INVALID' | 'SUBJECT_EXISTS_DIFFERENT';
  readonly message: string;
}

/** What one import did. Importing the same file again creates nothing: every row reads `unchanged`. */
export interface RosterReport {
  readonly rows: number;
  readonly created: number;
  readonly unchanged: number;
  readonly rejected: number;
  /** The first MAX_REPORTED rejected rows; `rejected` counts them all. */
  readonly rejectedRows: readonly RejectedRow[];
}

export const MAX_REPORTED = 1000;

export interface RosterImportDeps {
  readonly subjects: {
    find(ref: string): Promise<Subject | null>;
    create(ref: string, passport: Passport, language: Subject['language'], actor: Actor): Promise<Subject>;
    passport(subject: Subject): Promise<Passport | null>;
  };
  audit(event: AuditEvent): Promise<unknown>;
}

/**
 * Imports the pension fund's list of pensioners (SUBJECT_REGISTRATION=roster): idempotent (a pensioner already there
 * with the same document number is left as is), hence resumable (send the same file again after an interruption),
 * and never overwriting (a different document number for a known pension number is rejected for the office to check).
 */
export class RosterImportService {
  constructor(private readonly deps: RosterImportDeps) {}

  async import(lines: AsyncIterable<RosterLine>, actor: Actor): Promise<RosterReport> {
    let rows = 0;
    let created = 0;
    let unchanged = 0;
    let rejected = 0;
    const rejectedRows: RejectedRow[] = [];
    const reject = (row: RejectedRow) => {
      rejected += 1;
      if (rejectedRows.length < MAX_REPORTED) rejectedRows.push(row);
    };
    for await (const line of lines) {
      rows += 1;
      if (!line.fields) {
        reject({ line: line.line, subjectId: null, code: 'ROW_UNREADABLE', message: line.problem ?? 'unreadable' });
        continue;
      }
      const parsed = rosterRow.safeParse(line.fields);
      if (!parsed.success) {
        const ref = typeof line.fields.subjectId === 'string' && SUBJECT_REF_PATTERN.test(line.fields.subjectId.trim()) ? line.fields.subjectId.trim() : null;
        const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
        reject({ line: line.line, subjectId: ref, code: 'ROW_INVALID', message });
        continue;
      }
      const { subjectId, passport, language } = parsed.data;
      const existing = await this.deps.subjects.find(subjectId);
      if (!existing) {
        await this.deps.subjects.create(subjectId, passport, language, actor);
        created += 1;
      } else if ((await this.deps.subjects.passport(existing))?.number === passport.number) {
        unchanged += 1;
      } else {
        reject({ line: line.line, subjectId, code: 'SUBJECT_EXISTS_DIFFERENT', message: 'This pension number is registered with another document number.' });
      }
    }
    await this.deps.audit({
      actor, action: 'roster.imported', purpose: PURPOSE, targetType: 'roster', outcome: 'success', details: { rows, created, unchanged, rejected },
    });
    return { rows, created, unchanged, rejected, rejectedRows };
  }
}
