import { z } from 'zod';
import { LANGUAGES } from '../../domain/consent/consent.js';
import type { AccessReportService } from '../../domain/rights/access-report.service.js';
import { ERASURE_REASONS, type ErasureService } from '../../domain/rights/erasure.service.js';
import { passportSchema } from '../../domain/subjects/passport.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import type { Clock } from '../../shared/clock.js';
import { viewCredential } from './device-credentials.routes.js';
import { actorOf } from '../actor.js';
import { actorLabelFor } from '../actor-view.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';
import { sendAccessReport } from '../../shared/views/access-report.view.js';

const reportQuery = z.object({
  language: z.enum(LANGUAGES).optional().describe('Default: the subject\'s language'),
  format: z.enum(['json', 'html']).optional().describe('html: a printable page; default follows the Accept header'),
});
const erasureBody = z.object({
  legalReason: z.enum(ERASURE_REASONS).describe('Art. 20: why the data must be destroyed'),
  reference: z.string().trim().min(1).max(200).describe('Court decision number, closure record, request id...'),
}).strict();
const correctionBody = z.object({
  passport: passportSchema.partial().refine((p) => Object.keys(p).length > 0, 'name at least one field'),
  reason: z.string().trim().min(3).max(500),
}).strict();

/** The data subject's rights: access (Art. 22), erasure (Art. 20), correction (Art. 8(5), 15). */
export interface RightsRoutesDeps {
  readonly subjects: SubjectService;
  readonly reports: AccessReportService;
  readonly erasure: ErasureService;
  /** The subject's phones, listed in the report with their last use (docs/SECURITY.md). */
  readonly devices: Pick<DeviceCredentialService, 'list'>;
  readonly clock: Clock;
}

export function rightsRoutes(deps: RightsRoutesDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/subjects/:subjectId/access-report', summary: 'What is held, why, until when, who saw it (Art. 22)',
      roles: ['mobile-client', 'operator', 'auditor', 'admin'], params: subjectRefParam, query: reportQuery,
      responses: { 200: { description: 'The report as JSON, or as a printable HTML page with format=html' }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const { language, format } = parseOr400(reportQuery, req.query);
        const subject = await deps.subjects.get(subjectId);
        const built = await deps.reports.build(subject, language, actorOf(res.locals));
        const now = deps.clock.now();
        const report = {
          ...built, accessLog: built.accessLog.map((e) => ({ ...e, actor: actorLabelFor(res.locals, e.actor, e.role)! })),
          devices: (await deps.devices.list(subject.id)).map((c) => viewCredential(c, now)),
        };
        res.setHeader('Cache-Control', 'no-store');
        if (format === 'html' || (!format && req.accepts(['json', 'html']) === 'html')) {
          sendAccessReport(res, report);
        } else {
          res.json(report);
        }
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/erasure', summary: 'Destroy the subject\'s data (Art. 20), with the legal reason',
      roles: ['operator', 'admin'], params: subjectRefParam, body: erasureBody,
      responses: { 200: { description: 'Erased' }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const body = parseOr400(erasureBody, req.body);
        const subject = await deps.subjects.get(subjectId);
        const done = await deps.erasure.erase(subject, body.legalReason, body.reference, actorOf(res.locals));
        res.json({ subjectId, status: 'erased', legalReason: body.legalReason, blobsDeleted: done.blobsDeleted });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/corrections', summary: 'Correct identity fields, recording who and why',
      roles: ['operator', 'admin'], params: subjectRefParam, body: correctionBody,
      responses: { 200: { description: 'Corrected' }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const body = parseOr400(correctionBody, req.body);
        const fields = await deps.subjects.correct(await deps.subjects.get(subjectId), body.passport, body.reason, actorOf(res.locals));
        res.json({ subjectId, correctedFields: fields });
      },
    },
  ];
}
