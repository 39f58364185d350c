import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { Language } from '../consent/consent.js';
import type { Subject } from '../subjects/subject.js';
import type { SubjectService } from '../subjects/subject.service.js';
import { REPORT_TEXT, type ReportCategory, type ReportColumn } from './access-report.i18n.js';

/** One row of a report table, keyed by columns every language names. */
export type ReportRow = Partial<Record<ReportColumn, string | number | boolean | null>>;

/** One category of data held, with why and until when. */
export interface HeldCategory {
  readonly category: ReportCategory;
  readonly title: string;
  readonly legalBasis: string;
  readonly purpose: string;
  readonly term: string;
  readonly items: readonly ReportRow[];
}

/** The answer to a subject's Art. 22 request. */
export interface AccessReport {
  readonly subjectId: string;
  readonly status: Subject['status'];
  readonly language: Language;
  readonly generatedAt: string;
  readonly text: (typeof REPORT_TEXT)[Language];
  readonly categories: readonly HeldCategory[];
  readonly corrections: readonly { at: string; fields: readonly string[]; reason: string }[];
  /** Every read of the subject's images or templates: who (role and key id), when, for what. */
  readonly accessLog: readonly { at: string; actor: string; role: string | null; action: string; purpose: string | null }[];
  /** Art. 21: transfers to third parties. The product makes none; payment systems get only status codes. */
  readonly transfers: readonly never[];
}

const ACCESS_ACTIONS = new Set(['image.read', 'image.viewed', 'template.read']);

/** Builds the access report at once (the law allows 3 working days) and audits the export. */
export class AccessReportService {
  constructor(
    private readonly db: Database,
    private readonly subjects: SubjectService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async build(subject: Subject, language: Language | undefined, actor: Actor): Promise<AccessReport> {
    const lang = language ?? subject.language;
    const t = REPORT_TEXT[lang];
    const repos = createRepositories(this.db);
    const [passport, items, templates, submissions, consents, corrections, reads] = await Promise.all([
      subject.status === 'erased' ? Promise.resolve(null) : this.subjects.passport(subject),
      repos.items.listForSubject(subject.id),
      this.db.query<{ source: string; model: string; status: string; created_at: Date; deleted_at: Date | null }>(
        // Source as the gallery names it: the enrolment's document portrait or selfie, or a proof-of-life selfie.
        `SELECT CASE WHEN t.source = 'document' THEN 'document' ELSE s.kind END AS source, t.model, t.status, t.created_at, t.deleted_at
           FROM reference_templates t JOIN submissions s ON s.id = t.submission_id WHERE t.subject_id = $1 ORDER BY t.created_at, t.source`, [subject.id]),
      repos.submissions.listForSubject(subject.id, 500),
      repos.consents.listForSubject(subject.id),
      repos.subjects.listCorrections(subject.id),
      this.audit.find({ subjectId: subject.id, limit: 10_000 }),
    ]);
    const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
    const heldItem = (i: (typeof items)[number]): ReportRow => ({
      kind: i.role, submissionId: i.submissionId, storedAt: iso(i.createdAt), deleteAt: iso(i.deleteAt), deletedAt: iso(i.deletedAt), policy: i.policy,
    });
    const category = (c: ReportCategory, entries: HeldCategory['items']): HeldCategory => ({
      category: c, title: t.categories[c], legalBasis: t.basis[c], purpose: t.purpose, term: t.terms[c], items: entries,
    });
    const report: AccessReport = {
      subjectId: subject.ref, status: subject.status, language: lang, generatedAt: this.clock.now().toISOString(), text: t,
      categories: [
        category('identity', passport
          ? [{ pensionNumber: subject.ref, passportNumber: passport.number, surname: passport.surname, givenNames: passport.givenNames,
              dateOfBirth: passport.dateOfBirth, passportExpiry: passport.expiryDate }]
          : [{ pensionNumber: subject.ref, passport: subject.status === 'erased' ? t.destroyed : null }]),
        category('images', items.filter((i) => i.itemClass.endsWith('_image')).map(heldItem)),
        // The frames of a liveness challenge are images of the subject too, kept on their own (shorter) timer.
        category('frames', items.filter((i) => i.itemClass === 'liveness_frame').map(heldItem)),
        category('templates', templates.map((r) => ({
          source: r.source, model: r.model, status: r.status, createdAt: iso(r.created_at), deletedAt: iso(r.deleted_at), keptUntil: t.untilEvent,
        }))),
        category('results', submissions.map((s) => ({
          submissionId: s.id, kind: s.kind, status: s.status, decision: s.decision, at: iso(s.completedAt ?? s.createdAt),
        }))),
        category('consents', consents.map((c) => ({
          consentId: c.id, textVersion: c.textVersion, language: c.language, channel: c.channel, signedAt: iso(c.signedAt),
          status: c.status, withdrawnAt: iso(c.withdrawnAt),
        }))),
      ],
      corrections: corrections.map((c) => ({ at: c.at.toISOString(), fields: c.fields, reason: c.reason })),
      accessLog: reads.filter((e) => ACCESS_ACTIONS.has(e.action)).map((e) => ({
        at: e.at.toISOString(), actor: `${e.actor.type}:${e.actor.id ?? ''}`, role: e.actor.role, action: e.action, purpose: e.purpose ?? null,
      })),
      transfers: [],
    };
    await this.audit.record({
      actor, action: 'access-report.exported', purpose: PURPOSE, subjectId: subject.id, targetType: 'subject',
      targetId: subject.id, outcome: 'success', details: { language: lang },
    });
    return report;
  }
}
