import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryOutcome, WebhookDeliveryService } from '../src/domain/campaigns/webhook-delivery.service.js';
import { jobCatalog, queueProcessor } from '../src/queue/job-catalog.js';
import type { Logger } from '../src/shared/logger.js';

/**
 * Sends one message. A failed attempt throws, so BullMQ retries with exponential backoff; on the last
 * attempt the service dead-letters the row instead (status dead, listed and retryable via the API).
 */
export async function handleDeliverWebhook(service: WebhookDeliveryService, job: Job): Promise<DeliveryOutcome> {
  const { deliveryId } = jobCatalog.WebhookDeliver.payload.parse(job.data);
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  return service.deliver(deliveryId, finalAttempt);
}

export function createWebhookWorker(opts: {
  connection: Redis; prefix: string; service: WebhookDeliveryService; concurrency: number; lockMs: number; logger: Logger;
}): Worker {
  const queue = jobCatalog.WebhookDeliver.queue;
  const worker = new Worker(queue, queueProcessor(queue, { WebhookDeliver: (job) => handleDeliverWebhook(opts.service, job) }), {
    connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency,
    // A killed worker's message is taken over after the lock; the row decides whether it is sent again.
    lockDuration: opts.lockMs, stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)), maxStalledCount: 3,
  });
  worker.on('completed', (job, outcome: DeliveryOutcome) => {
    if (outcome === 'dead') opts.logger.warn({ jobId: job.id, attempts: job.attemptsMade + 1 }, 'webhook dead-lettered');
  });
  worker.on('failed', (job, error) => opts.logger.debug({ jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, 'webhook attempt failed'));
  worker.on('error', (error) => opts.logger.error({ err: { message: error.message } }, 'webhook worker error'));
  return worker;
}
