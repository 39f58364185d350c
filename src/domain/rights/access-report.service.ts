import type { Clock } from '../../shared/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { Language } from '../consent/consent.js';
import type { Passport } from '../subjects/passport.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { REPORT_TEXT, type ReportCategory, type ReportColumn } from './access-report.i18n.js';
import type { RightsPorts } from './rights-ports.js';

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

export interface AccessReportServiceDeps {
  readonly uow: UnitOfWork<RightsPorts>;
  /** The subject's passport fields, opened from their sealed record (the subjects area). */
  readonly passports: { passport(subject: Subject): Promise<Passport | null> };
  readonly audit: AuditService;
  readonly clock: Clock;
}

/** Builds the access report at once (the law allows 3 working days) and audits the export. */
export class AccessReportService {
  constructor(private readonly deps: AccessReportServiceDeps) {}

  async build(subject: Subject, language: Language | undefined, actor: Actor): Promise<AccessReport> {
    const { uow, passports, audit, clock } = this.deps;
    const lang = language ?? subject.language;
    const t = REPORT_TEXT[lang];
    const [passport, items, templates, submissions, consents, corrections, reads] = await Promise.all([
      subject.status === 'erased' ? Promise.resolve(null) : passports.passport(subject),
      uow.ports.items.listForSubject(subject.id),
      uow.ports.templates.historyForSubject(subject.id),
      uow.ports.submissions.listForSubject(subject.id, 500),
      uow.ports.consents.listForSubject(subject.id),
      uow.ports.subjects.listCorrections(subject.id),
      audit.find({ subjectId: subject.id, limit: 10_000 }),
    ]);
    const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
    const heldItem = (i: (typeof items)[number]): ReportRow => ({
      kind: i.role, submissionId: i.submissionId, storedAt: iso(i.createdAt), deleteAt: iso(i.deleteAt), deletedAt: iso(i.deletedAt), policy: i.policy,
    });
    const category = (c: ReportCategory, entries: HeldCategory['items']): HeldCategory => ({
      category: c, title: t.categories[c], legalBasis: t.basis[c], purpose: t.purpose, term: t.terms[c], items: entries,
    });
    const report: AccessReport = {
      subjectId: subject.ref, status: subject.status, language: lang, generatedAt: clock.now().toISOString(), text: t,
      categories: [
        category('identity', passport
          ? [{ pensionNumber: subject.ref, passportNumber: passport.number, surname: passport.surname, givenNames: passport.givenNames,
              dateOfBirth: passport.dateOfBirth, passportExpiry: passport.expiryDate }]
          : [{ pensionNumber: subject.ref, passport: subject.status === 'erased' ? t.destroyed : null }]),
        category('images', items.filter((i) => i.itemClass.endsWith('_image')).map(heldItem)),
        // The frames of a liveness challenge are images of the subject too, kept on their own (shorter) timer.
        category('frames', items.filter((i) => i.itemClass === 'liveness_frame').map(heldItem)),
        category('templates', templates.map((r) => ({
          source: r.source, model: r.model, status: r.status, createdAt: iso(r.createdAt), deletedAt: iso(r.deletedAt), keptUntil: t.untilEvent,
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
    await audit.record({
      actor, action: 'access-report.exported', purpose: PURPOSE, subjectId: subject.id, targetType: 'subject',
      targetId: subject.id, outcome: 'success', details: { language: lang },
    });
    return report;
  }
}
