import { campaignRoutes } from '../../api/routes/campaigns.routes.js';
import { CampaignReconciler } from '../../domain/campaigns/campaign-reconciler.js';
import { campaignSettingsFrom, type CampaignEnv, type CampaignSettings } from '../../domain/campaigns/campaign-settings.js';
import { CampaignStepRunner, type StepProgress } from '../../domain/campaigns/campaign-step.runner.js';
import { CampaignTemplateService } from '../../domain/campaigns/campaign-template.service.js';
import { CampaignTicker } from '../../domain/campaigns/campaign-ticker.js';
import { CampaignService } from '../../domain/campaigns/campaign.service.js';
import { CaseResolutionService } from '../../domain/campaigns/case-resolution.service.js';
import { DeliveryDispatcher } from '../../domain/campaigns/delivery-dispatcher.js';
import { createHttpWebhookTransport } from '../../domain/campaigns/http-webhook.transport.js';
import { OverdueExporter } from '../../domain/campaigns/overdue-export.js';
import { SubjectAttributesService } from '../../domain/campaigns/subject-attributes.service.js';
import { WebhookDeliveryService } from '../../domain/campaigns/webhook-delivery.service.js';
import type { CampaignPorts, WebhookTransport } from '../../domain/campaigns/campaign-ports.js';
import type { UnitOfWork } from '../../domain/unit-of-work.js';
import { CampaignProducer } from '../../queue/campaign.producer.js';
import { createRedis } from '../../queue/connection.js';
import type { Clock } from '../../shared/clock.js';
import { warnOf, type Platform } from '../platform.js';
import { createCampaignWorker } from '../../../workers/campaign.worker.js';
import { createWebhookWorker } from '../../../workers/campaign-webhook.worker.js';

/** What the campaign module needs from the platform (src/bootstrap/platform.ts provides all of it). */
export interface CampaignModuleCore extends Pick<Platform, 'audit' | 'clock' | 'logger' | 'redis' | 'redisUrl'> {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly config: { readonly QUEUE_PREFIX: string; readonly JOB_LOCK_MS: number } & CampaignEnv;
}

export interface CampaignModuleOptions {
  /** Defaults to the configuration's keys (campaignSettingsFrom). */
  readonly settings?: CampaignSettings;
  readonly transport?: WebhookTransport;
  /** Clock of the signature timestamps (default: the system clock). */
  readonly wallClock?: Clock;
}

/**
 * Campaigns wired in one place, so the composition root adds two lines: the services and routes
 * here, and `startWorkers()` in a worker process. The migration (005) is listed in src/storage/migrations.
 */
export function createCampaignModule(core: CampaignModuleCore, opts: CampaignModuleOptions = {}) {
  const settings = opts.settings ?? campaignSettingsFrom(core.config);
  const { uow, audit, clock, logger } = core;
  const prefix = core.config.QUEUE_PREFIX;
  const producer = new CampaignProducer(core.redis, prefix, { attempts: settings.webhookAttempts, backoffMs: settings.webhookBackoffMs });
  const warn = warnOf(logger);

  const dispatcher = new DeliveryDispatcher({ uow, queue: producer, clock, settings });
  const reconciler = new CampaignReconciler({ uow, clock, dispatcher, settings });
  const campaigns = new CampaignService({
    uow, audit, clock, jobs: producer, settings, onEnqueueError: warn('could not enqueue campaign steps; the tick will'),
  });
  const templates = new CampaignTemplateService({
    uow, audit, clock, campaigns, jobs: producer,
    onError: (templateId, error) => logger.warn({ templateId, err: { message: (error as Error).message } }, 'template campaign not started'),
  });
  const runner = new CampaignStepRunner({ uow, clock, audit, reconciler, dispatcher, settings });
  const ticker = new CampaignTicker({
    uow, clock, jobs: producer, templates, reconciler, dispatcher,
    onError: (part, error) => logger.warn({ part, err: { message: (error as Error).message } }, 'campaign tick part failed'),
  });
  const resolution = new CaseResolutionService({ uow, audit, clock, dispatcher, settings });
  const exporter = new OverdueExporter({ uow, audit, pageSize: settings.pageSize });
  const attributes = new SubjectAttributesService({ uow, audit, clock });
  const transport = createHttpWebhookTransport();
  const deliveries = new WebhookDeliveryService({ uow, transport: opts.transport ?? transport, settings, clock, wallClock: opts.wallClock });

  const services = { campaigns, templates, runner, ticker, reconciler, resolution, exporter, attributes, deliveries, dispatcher };
  return {
    settings,
    producer,
    services,
    routes: campaignRoutes({ campaigns, templates, resolution, exporter, attributes, dispatcher }),
    /** For the submission worker, after a decision: the member's campaign state follows at once. */
    onSubmissionDecided: (submissionId: string) => reconciler.onSubmissionDecided(submissionId),

    /** Campaign and webhook workers plus the tick scheduler; `close` stops fan-outs at a page boundary. */
    async startWorkers(workerOpts: { onStepPage?: (p: StepProgress) => Promise<void> | void } = {}) {
      const connection = createRedis(core.redisUrl, 'worker');
      const control = createCampaignWorker({
        connection, prefix, runner, ticker, templates, lockMs: settings.jobLockMs, logger, onStepPage: workerOpts.onStepPage,
      });
      const webhooks = createWebhookWorker({
        connection, prefix, service: deliveries, concurrency: settings.webhookConcurrency, lockMs: settings.jobLockMs, logger,
      });
      await producer.ensureTick(settings.tickMs);
      await producer.kickTick();
      return {
        control: control.worker,
        webhooks,
        /** Abrupt stop for tests: no graceful hand-back, locks simply expire. */
        async kill() {
          await Promise.all([control.worker.close(true), webhooks.close(true)]);
          connection.disconnect();
        },
        async close() {
          await control.close();
          await webhooks.close();
          connection.disconnect();
        },
      };
    },
    async close() {
      transport.close();
      await producer.close();
    },
  };
}

export type CampaignModule = ReturnType<typeof createCampaignModule>;
