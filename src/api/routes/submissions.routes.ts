import type { SubmissionQueryService } from '../../domain/submissions/submission-query.service.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponse, submissionIdParam, submissionResponse } from '../schemas.js';
import { parseOr400 } from '../validate.js';

export function submissionRoutes(deps: { submissions: SubmissionQueryService }): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/submissions/:id', summary: 'Status, decision, match scores and retention timers',
      roles: ['mobile-client', 'reviewer', 'operator', 'admin'], params: submissionIdParam, mobileScope: 'submission',
      responses: {
        200: { description: 'The submission', schema: submissionResponse },
        400: { description: 'Error', schema: errorResponse }, 401: { description: 'Error', schema: errorResponse },
        403: { description: 'Error', schema: errorResponse }, 404: { description: 'Error', schema: errorResponse },
      },
      handler: async (req, res) => {
        const { id } = parseOr400(submissionIdParam, req.params, 'INVALID_SUBMISSION_ID');
        res.setHeader('Cache-Control', 'no-store');
        res.json(await deps.submissions.get(id));
      },
    },
  ];
}
