import type { Response } from 'express';
import { z } from 'zod';
import type { CampaignService } from '../../domain/campaigns/campaign.service.js';
import type { CampaignTemplateService } from '../../domain/campaigns/campaign-template.service.js';
import type { CaseResolutionService } from '../../domain/campaigns/case-resolution.service.js';
import type { DeliveryDispatcher } from '../../domain/campaigns/delivery-dispatcher.js';
import type { OverdueExporter } from '../../domain/campaigns/overdue-export.js';
import type { SubjectAttributesService } from '../../domain/campaigns/subject-attributes.service.js';
import {
  CAMPAIGN_STATUSES, MEMBER_STATES, closesAt, cohortSchema, reminderSchema, type Campaign, type CampaignTemplate,
} from '../../domain/campaigns/campaign.js';
import { actorOf } from '../actor.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

export interface CampaignRoutesDeps {
  readonly campaigns: CampaignService;
  readonly templates: CampaignTemplateService;
  readonly resolution: CaseResolutionService;
  readonly exporter: OverdueExporter;
  readonly attributes: SubjectAttributesService;
  readonly dispatcher: DeliveryDispatcher;
}

const OFFICE = ['operator', 'admin'] as const;
const READERS = ['operator', 'auditor', 'admin'] as const;
const errors = errorResponses;
const datetime = z.iso.datetime({ offset: true });

const campaignParam = z.object({ campaignId: z.uuid() });
const templateParam = z.object({ templateId: z.uuid() });
const memberParam = campaignParam.extend(subjectRefParam.shape);

const createBody = z.object({
  name: z.string().trim().min(3).max(120),
  cohort: cohortSchema.default({}),
  opensAt: datetime.describe('When invitations go out'),
  dueAt: datetime.describe('Deadline for a proof of life'),
  graceDays: z.number().int().min(0).max(180).default(14).describe('Days after dueAt before members become overdue'),
  reminders: z.array(reminderSchema).max(10).optional().describe('Default: 168 h (a week) and 12 h before dueAt'),
}).strict();
const previewBody = z.object({ cohort: cohortSchema.default({}) }).strict();
const cancelBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
const deadlineBody = z.object({ dueAt: datetime, graceDays: z.number().int().min(0).max(180) }).strict();
const caseBody = z.object({
  outcome: z.enum(['verified_in_person', 'exempt']).describe('Seen at the office, or excused (e.g. in hospital)'),
  reason: z.string().trim().min(3).max(500).describe('What was checked, or why the subject is excused'),
}).strict();
const attributesBody = z.object({
  region: z.string().trim().min(1).max(60).nullable(),
  office: z.string().trim().min(1).max(60).nullable(),
  birthYear: z.number().int().min(1900).max(2100).nullable(),
}).strict();
const templateBody = z.object({
  name: z.string().trim().min(3).max(100),
  cohort: cohortSchema.default({}),
  recurrence: z.enum(['yearly', 'quarterly', 'monthly']),
  anchorMonth: z.number().int().min(1).max(12).default(1).describe('Month the (first) period starts; ignored for monthly'),
  anchorDay: z.number().int().min(1).max(28).default(1),
  windowDays: z.number().int().min(1).max(365).describe('Days from period start to the due date'),
  graceDays: z.number().int().min(0).max(180).default(14),
  reminders: z.array(reminderSchema).max(10).optional(),
  autoStart: z.boolean().default(true),
}).strict();
const listQuery = z.object({ status: z.enum(CAMPAIGN_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const membersQuery = z.object({
  state: z.enum(MEMBER_STATES).optional(), after: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const deliveriesQuery = z.object({
  status: z.enum(['pending', 'sent', 'dead', 'cancelled', 'superseded']).optional(), after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv') });

const campaignResponse = z.object({
  id: z.uuid(), name: z.string(), status: z.enum(CAMPAIGN_STATUSES), cohort: cohortSchema, opensAt: z.string(), dueAt: z.string(),
  graceDays: z.number(), closesAt: z.string(), reminders: z.array(reminderSchema), templateId: z.string().nullable(),
  periodKey: z.string().nullable(), createdAt: z.string(), startedAt: z.string().nullable(), pausedAt: z.string().nullable(),
  closedAt: z.string().nullable(), cancelledAt: z.string().nullable(), cancelReason: z.string().nullable(),
});
const progressResponse = z.object({
  campaign: campaignResponse,
  counts: z.object(Object.fromEntries(MEMBER_STATES.map((s) => [s, z.number()]))).describe('Members by state'),
  total: z.number(), done: z.number().describe('verified + verified_in_person + exempt'), percentDone: z.number(),
  steps: z.array(z.object({ step: z.string(), dueAt: z.string(), processed: z.number(), affected: z.number(), startedAt: z.string().nullable(), doneAt: z.string().nullable(), outcome: z.string().nullable() })),
  deliveries: z.array(z.object({ channel: z.string(), status: z.string(), n: z.number() })),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
const campaignView = (c: Campaign) => ({
  id: c.id, name: c.name, status: c.status, cohort: c.cohort, opensAt: c.opensAt.toISOString(), dueAt: c.dueAt.toISOString(),
  graceDays: c.graceDays, closesAt: closesAt(c).toISOString(), reminders: c.reminders, templateId: c.templateId, periodKey: c.periodKey,
  createdAt: c.createdAt.toISOString(), startedAt: iso(c.startedAt), pausedAt: iso(c.pausedAt), closedAt: iso(c.closedAt),
  cancelledAt: iso(c.cancelledAt), cancelReason: c.cancelReason,
});
const templateView = (t: CampaignTemplate) => ({ ...t, createdAt: t.createdAt.toISOString() });

/** Streams chunks with back-pressure: a large export never sits whole in memory. */
async function stream(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** Re-verification campaigns, their templates, case closure by an operator, and cohort attributes of subjects. */
export function campaignRoutes(deps: CampaignRoutesDeps): RouteSpec[] {
  const { campaigns } = deps;
  const lifecycle = (verb: 'start' | 'pause' | 'resume', summary: string, call: (id: string, res: Response) => Promise<Campaign>): RouteSpec => ({
    method: 'post', path: `/v1/campaigns/:campaignId/${verb}`, summary, roles: OFFICE, params: campaignParam,
    responses: { 200: { description: 'The campaign', schema: campaignResponse }, ...errors(400, 401, 403, 404, 409) },
    handler: async (req, res) => {
      const { campaignId } = parseOr400(campaignParam, req.params);
      res.json(campaignView(await call(campaignId, res)));
    },
  });

  return [
    {
      method: 'post', path: '/v1/campaigns/cohort-preview', summary: 'How many active subjects a cohort holds now',
      roles: OFFICE, body: previewBody,
      responses: { 200: { description: 'Size', schema: z.object({ size: z.number() }) }, ...errors(400, 401, 403) },
      handler: async (req, res) => {
        res.json({ size: await campaigns.previewCohort(parseOr400(previewBody, req.body).cohort) });
      },
    },
    {
      method: 'post', path: '/v1/campaigns', summary: 'Create a campaign (draft): cohort, window, reminders, grace period',
      roles: OFFICE, body: createBody, idempotent: true,
      responses: { 201: { description: 'Created', schema: campaignResponse }, ...errors(400, 401, 403) },
      handler: async (req, res) => {
        const b = parseOr400(createBody, req.body);
        const c = await campaigns.create({ ...b, opensAt: new Date(b.opensAt), dueAt: new Date(b.dueAt) }, actorOf(res.locals));
        res.status(201).location(`/v1/campaigns/${c.id}`).json(campaignView(c));
      },
    },
    {
      method: 'get', path: '/v1/campaigns', summary: 'Campaigns, newest first', roles: READERS, query: listQuery,
      responses: { 200: { description: 'Campaigns', schema: z.object({ campaigns: z.array(campaignResponse) }) }, ...errors(400, 401, 403) },
      handler: async (req, res) => {
        res.json({ campaigns: (await campaigns.list(parseOr400(listQuery, req.query))).map(campaignView) });
      },
    },
    {
      method: 'get', path: '/v1/campaigns/:campaignId', summary: 'A campaign with its progress: counts by state, steps, messages',
      roles: READERS, params: campaignParam,
      responses: { 200: { description: 'Progress', schema: progressResponse }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const p = await campaigns.progress(parseOr400(campaignParam, req.params).campaignId);
        res.json({
          ...p, campaign: campaignView(p.campaign), closesAt: undefined,
          steps: p.steps.map((s) => ({ step: s.step, dueAt: s.dueAt.toISOString(), processed: s.processed, affected: s.affected, startedAt: iso(s.startedAt), doneAt: iso(s.doneAt), outcome: s.outcome })),
        });
      },
    },
    lifecycle('start', 'Start: invitations at opensAt, reminders, overdue at due + grace', (id, res) => campaigns.start(id, actorOf(res.locals))),
    lifecycle('pause', 'Pause: no step runs and no message leaves until resumed', (id, res) => campaigns.pause(id, actorOf(res.locals))),
    lifecycle('resume', 'Resume a paused campaign; held messages and due steps continue', (id, res) => campaigns.resume(id, actorOf(res.locals))),
    {
      method: 'post', path: '/v1/campaigns/:campaignId/cancel', summary: 'Cancel, with the reason; pending messages are not sent',
      roles: OFFICE, params: campaignParam, body: cancelBody,
      responses: { 200: { description: 'The campaign', schema: campaignResponse }, ...errors(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        res.json(campaignView(await campaigns.cancel(campaignId, parseOr400(cancelBody, req.body).reason, actorOf(res.locals))));
      },
    },
    {
      method: 'post', path: '/v1/campaigns/:campaignId/deadline', summary: 'Move the due date and grace period (before overdue marking begins)',
      roles: OFFICE, params: campaignParam, body: deadlineBody,
      responses: { 200: { description: 'The campaign', schema: campaignResponse }, ...errors(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        const b = parseOr400(deadlineBody, req.body);
        res.json(campaignView(await campaigns.changeDeadline(campaignId, new Date(b.dueAt), b.graceDays, actorOf(res.locals))));
      },
    },
    {
      method: 'get', path: '/v1/campaigns/:campaignId/subjects', summary: 'Members with their state; page with `after`',
      roles: READERS, params: campaignParam, query: membersQuery,
      responses: { 200: { description: 'Members' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        const q = parseOr400(membersQuery, req.query);
        const rows = await campaigns.members(campaignId, { state: q.state, after: q.after ?? null, limit: q.limit });
        res.setHeader('Cache-Control', 'no-store');
        res.json({
          subjects: rows.map((r) => ({
            subjectId: r.pensionNumber, state: r.state, invitedAt: r.invitedAt.toISOString(), stateChangedAt: r.stateChangedAt.toISOString(),
            overdueAt: iso(r.overdueAt), lastDecision: r.decision, region: r.region, office: r.office, resolvedBy: r.resolvedBy,
          })),
          next: rows.length === q.limit ? rows[rows.length - 1]!.subjectId : null,
        });
      },
    },
    {
      method: 'get', path: '/v1/campaigns/:campaignId/overdue', summary: 'The overdue list for the payment system (format=csv|json), streamed',
      roles: OFFICE, params: campaignParam, query: exportQuery,
      responses: { 200: { description: 'text/csv or application/json' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        const { format } = parseOr400(exportQuery, req.query);
        const campaign = await campaigns.get(campaignId);
        const chunks = deps.exporter.export(campaign, format, actorOf(res.locals));
        const first = await chunks.next();
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Disposition', `attachment; filename="overdue-${campaignId}.${format}"`);
        res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
        if (!first.done) res.write(first.value);
        await stream(res, { [Symbol.asyncIterator]: () => chunks });
      },
    },
    {
      method: 'post', path: '/v1/campaigns/:campaignId/subjects/:subjectId/case', summary: 'Close a case: verified in person at the office, or exempt, with the reason',
      roles: OFFICE, params: memberParam, body: caseBody,
      responses: { 200: { description: 'Closed' }, ...errors(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { campaignId, subjectId } = parseOr400(memberParam, req.params);
        const b = parseOr400(caseBody, req.body);
        const r = await deps.resolution.close(campaignId, subjectId, b.outcome, b.reason, actorOf(res.locals));
        res.json({ subjectId, campaignId, previousState: r.from, state: r.to });
      },
    },
    {
      method: 'get', path: '/v1/campaigns/:campaignId/deliveries', summary: 'Webhook messages with their status (dead = dead-lettered)',
      roles: READERS, params: campaignParam, query: deliveriesQuery,
      responses: { 200: { description: 'Messages' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        const q = parseOr400(deliveriesQuery, req.query);
        const rows = await campaigns.deliveries(campaignId, { status: q.status, after: q.after ?? null, limit: q.limit });
        res.json({
          deliveries: rows.map((d) => ({ ...d, subjectId: d.pensionNumber, pensionNumber: undefined, createdAt: d.createdAt.toISOString(), finishedAt: iso(d.finishedAt) })),
          next: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
        });
      },
    },
    {
      method: 'post', path: '/v1/campaigns/:campaignId/deliveries/retry-dead', summary: 'Send dead-lettered messages again (after the gateway is fixed)',
      roles: OFFICE, params: campaignParam,
      responses: { 200: { description: 'How many go again' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { campaignId } = parseOr400(campaignParam, req.params);
        const retried = await campaigns.retryDead(campaignId, actorOf(res.locals));
        await deps.dispatcher.drain();
        res.json({ retried });
      },
    },
    {
      method: 'post', path: '/v1/campaign-templates', summary: 'A recurring campaign (yearly, quarterly, monthly) made from a template',
      roles: OFFICE, body: templateBody,
      responses: { 201: { description: 'Created' }, ...errors(400, 401, 403) },
      handler: async (req, res) => {
        res.status(201).json(templateView(await deps.templates.create(parseOr400(templateBody, req.body), actorOf(res.locals))));
      },
    },
    {
      method: 'get', path: '/v1/campaign-templates', summary: 'Templates of recurring campaigns', roles: READERS,
      responses: { 200: { description: 'Templates' }, ...errors(401, 403) },
      handler: async (_req, res) => {
        res.json({ templates: (await deps.templates.list()).map(templateView) });
      },
    },
    {
      method: 'post', path: '/v1/campaign-templates/:templateId/deactivate', summary: 'Stop making campaigns from a template',
      roles: OFFICE, params: templateParam,
      responses: { 200: { description: 'Deactivated' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { templateId } = parseOr400(templateParam, req.params);
        await deps.templates.deactivate(templateId, actorOf(res.locals));
        res.json({ id: templateId, active: false });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/attributes', summary: 'Set region, office and birth year (what cohorts select by)',
      roles: OFFICE, params: subjectRefParam, body: attributesBody,
      responses: { 200: { description: 'Attributes' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const a = await deps.attributes.set(subjectId, parseOr400(attributesBody, req.body), actorOf(res.locals));
        res.json({ subjectId, region: a.region, office: a.office, birthYear: a.birthYear, updatedAt: a.updatedAt.toISOString() });
      },
    },
    {
      method: 'get', path: '/v1/subjects/:subjectId/attributes', summary: 'A subject\'s region, office and birth year',
      roles: READERS, params: subjectRefParam,
      responses: { 200: { description: 'Attributes' }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const a = await deps.attributes.get(subjectId);
        res.json({ subjectId, region: a?.region ?? null, office: a?.office ?? null, birthYear: a?.birthYear ?? null, updatedAt: iso(a?.updatedAt ?? null) });
      },
    },
  ];
}
