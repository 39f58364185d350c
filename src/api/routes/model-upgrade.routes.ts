import { z } from 'zod';
import { BATCH_STATES, SUBJECT_STATES, type ModelUpgradeBatch } from '../../domain/model-upgrade/model-upgrade.js';
import { UPGRADE_TARGET_MODELS } from '../../domain/model-upgrade/model-upgrade-ports.js';
import type { ModelUpgradeService } from '../../domain/model-upgrade/model-upgrade.service.js';
import { actorOf } from '../actor.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses } from '../schemas.js';
import { parseOr400 } from '../validate.js';

const OFFICE = ['operator', 'admin'] as const;
const READERS = ['operator', 'auditor', 'admin'] as const;
const errors = errorResponses;

const batchParam = z.object({ batchId: z.uuid() });
const startBody = z.object({
  targetModel: z.enum(UPGRADE_TARGET_MODELS).describe('The face pipeline to move references to (set ENGINE_MODEL to it on the workers)'),
  supersededGraceDays: z.number().int().min(0).max(365).optional()
    .describe('Days the replaced templates are kept before retention deletes them (default 30)'),
}).strict();
const cancelBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const subjectsQuery = z.object({
  state: z.enum(SUBJECT_STATES).optional(), after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const batchResponse = z.object({
  id: z.uuid(), targetModel: z.string(), targetVersion: z.string(), state: z.enum(BATCH_STATES), supersededGraceDays: z.number(),
  counts: z.object({ queued: z.number(), reExtracted: z.number(), markedForReenrolment: z.number(), failed: z.number(), skipped: z.number() }),
  fanOutDone: z.boolean(), createdAt: z.string(), createdBy: z.string(), pausedAt: z.string().nullable(), finishedAt: z.string().nullable(),
  cancelReason: z.string().nullable(), lastError: z.string().nullable(),
});
const progressResponse = batchResponse.extend({
  done: z.number(), pending: z.number(), percentDone: z.number().describe('Of the subjects found so far'),
  totalKnown: z.boolean().describe('The fan-out has seen the whole cohort: `counts.queued` is final'),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
const batchView = (b: ModelUpgradeBatch) => ({
  id: b.id, targetModel: b.target.model, targetVersion: b.target.version, state: b.state, supersededGraceDays: b.supersededGraceDays,
  counts: b.counts, fanOutDone: b.fanoutDoneAt !== null, createdAt: b.createdAt.toISOString(), createdBy: b.createdBy,
  pausedAt: iso(b.pausedAt), finishedAt: iso(b.finishedAt), cancelReason: b.cancelReason, lastError: b.lastError,
});

/** Model upgrade batches: start, follow, pause, resume, cancel; who was re-extracted and who must enrol again. */
export function modelUpgradeRoutes(deps: { readonly upgrades: ModelUpgradeService }): RouteSpec[] {
  const { upgrades } = deps;
  const lifecycle = (verb: 'pause' | 'resume', summary: string): RouteSpec => ({
    method: 'post', path: `/v1/model-upgrades/:batchId/${verb}`, summary, roles: OFFICE, params: batchParam,
    responses: { 200: { description: 'The batch', schema: batchResponse }, ...errors(400, 401, 403, 404, 409) },
    handler: async (req, res) => {
      const { batchId } = parseOr400(batchParam, req.params);
      res.json(batchView(await upgrades[verb](batchId, actorOf(res.locals))));
    },
  });

  return [
    {
      method: 'post', path: '/v1/model-upgrades', summary: 'Start a model upgrade: re-extract references with a new model, or mark subjects for re-enrolment',
      roles: OFFICE, body: startBody, idempotent: true,
      responses: { 201: { description: 'Started', schema: batchResponse }, ...errors(400, 401, 403, 409) },
      handler: async (req, res) => {
        const batch = await upgrades.start(parseOr400(startBody, req.body), actorOf(res.locals));
        res.status(201).location(`/v1/model-upgrades/${batch.id}`).json(batchView(batch));
      },
    },
    {
      method: 'get', path: '/v1/model-upgrades', summary: 'Model upgrade batches, newest first', roles: READERS, query: listQuery,
      responses: { 200: { description: 'Batches', schema: z.object({ batches: z.array(batchResponse) }) }, ...errors(400, 401, 403) },
      handler: async (req, res) => {
        res.json({ batches: (await upgrades.list(parseOr400(listQuery, req.query).limit)).map(batchView) });
      },
    },
    {
      method: 'get', path: '/v1/model-upgrades/:batchId', summary: 'A batch with its progress: subjects found, re-extracted, marked for re-enrolment, failed, skipped',
      roles: READERS, params: batchParam,
      responses: { 200: { description: 'Progress', schema: progressResponse }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { batch, ...progress } = await upgrades.progress(parseOr400(batchParam, req.params).batchId);
        res.json({ ...batchView(batch), ...progress });
      },
    },
    lifecycle('pause', 'Pause: no further subject is started until resumed'),
    lifecycle('resume', 'Resume a paused batch after its cursor'),
    {
      method: 'post', path: '/v1/model-upgrades/:batchId/cancel', summary: 'Cancel, with the reason; subjects not reached keep their references',
      roles: OFFICE, params: batchParam, body: cancelBody,
      responses: { 200: { description: 'The batch', schema: batchResponse }, ...errors(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { batchId } = parseOr400(batchParam, req.params);
        res.json(batchView(await upgrades.cancel(batchId, parseOr400(cancelBody, req.body).reason, actorOf(res.locals))));
      },
    },
    {
      method: 'get', path: '/v1/model-upgrades/:batchId/subjects', summary: 'Subjects of a batch with their outcome and reason; page with `after`',
      roles: READERS, params: batchParam, query: subjectsQuery,
      responses: { 200: { description: 'Subjects' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { batchId } = parseOr400(batchParam, req.params);
        const q = parseOr400(subjectsQuery, req.query);
        const rows = await upgrades.subjects(batchId, { state: q.state, after: q.after ?? null, limit: q.limit });
        res.setHeader('Cache-Control', 'no-store');
        res.json({
          subjects: rows.map((r) => ({ subjectId: r.pensionNumber, state: r.state, reason: r.reason, templates: r.templates, finishedAt: iso(r.finishedAt) })),
          next: rows.length === q.limit ? rows[rows.length - 1]!.subjectId : null,
        });
      },
    },
  ];
}
