import { z } from 'zod';
import { ACTION_INSTRUCTIONS, CHALLENGE_ACTIONS, type ChallengePolicy } from '../../domain/liveness/challenge.js';
import type { LivenessChallengeService } from '../../domain/liveness/challenge.service.js';
import { pickLanguage } from '../../domain/quality/quality-messages.js';
import { actorOf } from '../actor.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

export interface LivenessRoutesDeps {
  readonly challenges: LivenessChallengeService;
  readonly policy: ChallengePolicy;
}

const challengeResponse = z.object({
  challengeId: z.uuid(),
  nonce: z.string().describe('Single use: send it with the frames as the "nonce" field; it is shown only here'),
  actions: z.array(z.object({ action: z.enum(CHALLENGE_ACTIONS), instruction: z.string() })).describe('In the order to perform them'),
  language: z.enum(['tg', 'ru', 'en']),
  issuedAt: z.string(),
  expiresAt: z.string().describe('At most 3 minutes after issue'),
  frames: z.object({ min: z.number().int(), max: z.number().int() }).describe('How many frames the response must carry; the first should look straight at the camera'),
});

/** POST /v1/subjects/{subjectId}/liveness-challenges: a random sequence of actions and a single-use nonce. */
export function livenessRoutes(deps: LivenessRoutesDeps): RouteSpec[] {
  return [{
    method: 'post', path: '/v1/subjects/:subjectId/liveness-challenges', summary: 'Issue an active liveness challenge',
    roles: ['mobile-client', 'operator', 'admin'], params: subjectRefParam,
    responses: {
      201: { description: 'The challenge', schema: challengeResponse },
      ...errorResponses(400, 401, 403, 404, 409),
      429: { description: 'LIVENESS_LOCKED_OUT: too many failed attempts; details.lockedUntil' },
    },
    handler: async (req, res) => {
      const { subjectId } = parseOr400(subjectRefParam, req.params);
      const { challenge, nonce } = await deps.challenges.issue(subjectId, actorOf(res.locals));
      const language = pickLanguage(req.get('accept-language'));
      res.status(201).set('Content-Language', language).set('Cache-Control', 'no-store').json({
        challengeId: challenge.id, nonce,
        actions: challenge.actions.map((action) => ({ action, instruction: ACTION_INSTRUCTIONS[action][language] })),
        language, issuedAt: challenge.issuedAt.toISOString(), expiresAt: challenge.expiresAt.toISOString(),
        frames: { min: deps.policy.minFrames, max: deps.policy.maxFrames },
      });
    },
  }];
}
