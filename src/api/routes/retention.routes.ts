import { z } from 'zod';
import type { LegalHoldService } from '../../domain/retention/legal-hold.service.js';
import type { RetentionQueryService } from '../../domain/retention/retention-query.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { LegalHold } from '../../domain/retention/legal-hold.js';
import { actorOf } from '../actor.js';
import { actorLabelFor } from '../actor-view.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, retentionEntrySchema, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

const holdBody = z.object({ reason: z.string().trim().min(3).max(500).describe('e.g. court case number') }).strict();
const holdParams = subjectRefParam.extend({ holdId: z.uuid() });
/** A legal hold; `locals` (the caller) decides how much of who placed and released it is shown. */
export const holdView = (h: LegalHold, locals: Record<string, unknown> = {}) => ({
  id: h.id, reason: h.reason, placedBy: actorLabelFor(locals, h.placedBy), placedAt: h.placedAt.toISOString(),
  releasedAt: h.releasedAt?.toISOString() ?? null, releasedBy: actorLabelFor(locals, h.releasedBy),
});

/** Live retention timers of a subject, and legal holds (Art. 14, 20). */
export function retentionRoutes(deps: {
  subjects: SubjectService; holds: LegalHoldService; retentionQuery: RetentionQueryService;
}): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/subjects/:subjectId/retention', summary: 'Every stored item of the subject with its deletion time, and legal holds',
      roles: ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'], params: subjectRefParam,
      responses: { 200: { description: 'Timers', schema: z.object({ items: z.array(retentionEntrySchema), holds: z.array(z.unknown()) }) }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const { items, holds } = await deps.retentionQuery.forSubject(await deps.subjects.get(subjectId));
        res.json({ items, holds: holds.map((h) => holdView(h, res.locals)) });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/legal-holds', summary: 'Place a legal hold: nothing of the subject is purged until released',
      roles: ['operator', 'admin'], params: subjectRefParam, body: holdBody,
      responses: { 201: { description: 'Placed' }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const { reason } = parseOr400(holdBody, req.body);
        const hold = await deps.holds.place(await deps.subjects.get(subjectId), reason, actorOf(res.locals));
        res.status(201).json(holdView(hold));
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/legal-holds/:holdId/release', summary: 'Release a legal hold; overdue items are purged at once',
      roles: ['operator', 'admin'], params: holdParams,
      responses: { 200: { description: 'Released' }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { subjectId, holdId } = parseOr400(holdParams, req.params);
        await deps.holds.release(await deps.subjects.get(subjectId), holdId, actorOf(res.locals));
        res.json({ id: holdId, released: true });
      },
    },
  ];
}
