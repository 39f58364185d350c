import type { Redis } from 'ioredis';
import { storageUnitOfWork } from '../storage/unit-of-work.js';
import type { Config } from '../config/env.js';
import { AuditService } from '../domain/audit/audit.service.js';
import type { Actor } from '../domain/audit/audit-entry.js';
import { progressOf, type ModelUpgradeBatch } from '../domain/model-upgrade/model-upgrade.js';
import { modelUpgradeSettings } from '../domain/model-upgrade/model-upgrade-ports.js';
import { ModelUpgradeService } from '../domain/model-upgrade/model-upgrade.service.js';
import { UpgradeDispatcher } from '../domain/model-upgrade/upgrade-dispatcher.js';
import { engineVersion, isEngineModel } from '../engine/create-engine.js';
import { createRedis } from '../queue/connection.js';
import { ModelUpgradeProducer } from '../queue/model-upgrade.producer.js';
import { systemClock } from '../shared/clock.js';
import type { Database } from '../storage/database/database.js';

export const MODEL_UPGRADE_USAGE = `  npm run -s cli -- model-upgrade start --model <pipeline> [--grace-days <0-365>]
  npm run -s cli -- model-upgrade status [<batchId>]       (default: the latest batch)
  npm run -s cli -- model-upgrade pause|resume <batchId>
  npm run -s cli -- model-upgrade cancel <batchId> --reason <text>`;

/** The operator at the console, as the audit trail names them. */
const CLI_ACTOR: Actor = { type: 'system', id: 'cli', role: null };

function describe(b: ModelUpgradeBatch): string {
  const p = progressOf(b);
  const c = b.counts;
  return [
    `Batch ${b.id}: ${b.state}, to ${b.target.model} ${b.target.version} (superseded references kept ${b.supersededGraceDays} days)`,
    `  subjects found ${c.queued}${p.totalKnown ? '' : ' so far'}; done ${p.done} (${p.percentDone} %), pending ${p.pending}`,
    `  re-extracted ${c.reExtracted}, marked for re-enrolment ${c.markedForReenrolment}, failed ${c.failed}, skipped ${c.skipped}`,
    ...(b.lastError ? [`  stopped: ${b.lastError}`] : []),
  ].join('\n');
}

/** Resolves once Redis answers; rejects after `ms` (BullMQ would otherwise wait for it forever). */
function ready(redis: Redis, url: string, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${new URL(url).host} does not answer: start it (the workers need it too) and try again.`)), ms);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * `model-upgrade start|status|pause|resume|cancel`: the same service as POST /v1/model-upgrades. The
 * workers do the work. start and resume need Redis and refuse before changing anything when it is down.
 */
export async function modelUpgradeCommand(
  db: Database, config: Config, command: string | undefined, batchId: string | undefined,
  opts: { model?: string; graceDays?: string; reason?: string },
): Promise<number> {
  const redis = createRedis(config.redisUrl, 'producer', { lazyConnect: true });
  redis.on('error', () => undefined);
  const producer = new ModelUpgradeProducer(redis, config.QUEUE_PREFIX);
  const settings = modelUpgradeSettings({ jobLockMs: config.JOB_LOCK_MS });
  const uow = storageUnitOfWork(db);
  const clock = systemClock;
  const service = new ModelUpgradeService({
    uow, audit: new AuditService({ uow, clock }), clock, queue: producer,
    dispatcher: new UpgradeDispatcher({ uow, queue: producer, clock, settings }),
    engines: { versionOf: (m) => (isEngineModel(m) ? engineVersion(m) : null) }, settings,
    onEnqueueError: (error) => console.error(`Not queued now (${(error as Error).message}); the workers' tick will start it.`),
  });
  const queueReady = async () => {
    redis.connect().catch(() => undefined);
    await ready(redis, config.redisUrl, 5000);
  };
  try {
    if (command === 'start') {
      if (!opts.model) {
        console.error('--model is required: the pipeline to move references to (ENGINE_MODEL of the workers)');
        return 2;
      }
      await queueReady();
      const graceDays = opts.graceDays === undefined ? undefined : Number(opts.graceDays);
      console.log(describe(await service.start({ targetModel: opts.model, supersededGraceDays: graceDays }, CLI_ACTOR)));
      return 0;
    }
    if (command === 'status') {
      const batch = batchId ? await service.get(batchId) : (await service.list(1))[0];
      console.log(batch ? describe(batch) : 'No model upgrade batch yet.');
      return 0;
    }
    if (command === 'resume' && batchId) {
      await queueReady();
      console.log(describe(await service.resume(batchId, CLI_ACTOR)));
      return 0;
    }
    if (command === 'pause' && batchId) {
      console.log(describe(await service.pause(batchId, CLI_ACTOR)));
      return 0;
    }
    if (command === 'cancel' && batchId && opts.reason) {
      console.log(describe(await service.cancel(batchId, opts.reason, CLI_ACTOR)));
      return 0;
    }
    console.error(`Usage:\n${MODEL_UPGRADE_USAGE}`);
    return 2;
  } finally {
    redis.disconnect();
  }
}
