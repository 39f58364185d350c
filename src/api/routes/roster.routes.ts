import { createInterface } from 'node:readline';
import { rosterLines, type RosterFormat } from '../../domain/roster/roster-rows.js';
import type { RosterImportService } from '../../domain/roster/roster-import.service.js';
import { AppError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses } from '../schemas.js';

const FORMATS: Record<string, RosterFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson', 'application/jsonl': 'ndjson' };

/** POST /v1/roster/import: the pension fund's list, streamed line by line (docs/SECURITY.md, registration modes). */
export function rosterRoutes(deps: { roster: RosterImportService }): RouteSpec[] {
  return [{
    method: 'post', path: '/v1/roster/import',
    summary: 'Import pensioners from the pension fund\'s roster (text/csv with a header, or application/x-ndjson); idempotent, so resumable',
    roles: ['operator', 'admin'],
    responses: {
      200: { description: 'What was created, left unchanged and rejected (with line numbers and reasons)' },
      ...errorResponses(400, 401, 403, 415),
    },
    handler: async (req, res) => {
      const format = FORMATS[(req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()];
      if (!format) throw new AppError('ROSTER_FORMAT_UNSUPPORTED', 'Send the roster as text/csv (with a header line) or application/x-ndjson.', 415);
      req.setEncoding('utf8');
      const lines = createInterface({ input: req, crlfDelay: Infinity });
      res.json(await deps.roster.import(rosterLines(lines, format), actorOf(res.locals)));
    },
  }];
}
