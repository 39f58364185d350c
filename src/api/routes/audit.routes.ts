import { z } from 'zod';
import type { AuditService } from '../../domain/audit/audit.service.js';
import type { ImageAccessService } from '../../domain/review/image-access.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import { NotFoundError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRef, submissionIdParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

const auditQuery = z.object({
  subjectId: subjectRef.optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(60).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('At or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Before this time'),
  afterSeq: z.coerce.number().int().min(0).optional().describe('Entries after this sequence number: the previous page\'s nextAfterSeq'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Entries per page'),
});
const imageParams = submissionIdParam.extend({ role: z.enum(['selfie', 'document']) });

/** The audit trail for auditors (Art. 25), and audited image views for reviewers. */
export function auditRoutes(deps: { audit: AuditService; subjects: SubjectService; images: ImageAccessService }): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/audit', summary: 'Audit entries, filterable by subject, actor, action and time',
      roles: ['auditor', 'admin'], query: auditQuery,
      responses: { 200: { description: 'Entries, oldest first; page with afterSeq' }, ...errorResponses(400, 401, 403) },
      handler: async (req, res) => {
        const q = parseOr400(auditQuery, req.query);
        let subjectId: string | undefined;
        if (q.subjectId) {
          subjectId = (await deps.subjects.get(q.subjectId).catch((error: unknown) => {
            if (error instanceof NotFoundError) return { id: '00000000-0000-0000-0000-000000000000' };
            throw error;
          })).id;
        }
        const entries = await deps.audit.find({
          subjectId, actorId: q.actorId, action: q.action, afterSeq: q.afterSeq, limit: q.limit,
          from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
        });
        await deps.audit.record({ actor: actorOf(res.locals), action: 'audit.read', outcome: 'success', details: { returned: entries.length } });
        res.setHeader('Cache-Control', 'no-store');
        res.json({ entries, nextAfterSeq: entries.at(-1)?.seq ?? null });
      },
    },
    {
      method: 'get', path: '/v1/audit/verify', summary: 'Check the hash chain: intact, or the first broken link',
      roles: ['auditor', 'admin'],
      responses: { 200: { description: 'Verdict' }, ...errorResponses(401, 403) },
      handler: async (_req, res) => {
        res.json(await deps.audit.verifyChain());
      },
    },
    {
      method: 'get', path: '/v1/submissions/:id/images/:role', summary: 'One image of a submission, for review (every view audited)',
      roles: ['reviewer', 'admin'], params: imageParams,
      responses: { 200: { description: 'image/jpeg, never cached' }, ...errorResponses(400, 401, 403, 404, 410) },
      handler: async (req, res) => {
        const { id, role } = parseOr400(imageParams, req.params);
        const image = await deps.images.view(id, role, actorOf(res.locals));
        res.setHeader('Cache-Control', 'no-store, private');
        res.setHeader('Content-Disposition', 'inline');
        res.type('jpeg').send(image);
      },
    },
  ];
}
