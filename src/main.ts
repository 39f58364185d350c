import { loadConfig } from './config/env.js';
import { createCore } from './bootstrap/core.js';
import { resolveRedis } from './bootstrap/local-redis.js';
import { modelFilesCheck, startApi, startWorker } from './bootstrap/roles.js';
import { ConfigError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';
import { exitWithParent, isPoolParent, runWorkerPool } from './bootstrap/worker-pool.js';

type Role = 'all' | 'api' | 'worker';

/** Process entrypoint: `all` (single machine, embedded database allowed), `api` or `worker`. */
async function main(role: Role): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, `zinda-${role}`);
  if (role !== 'all' && config.embeddedDatabase) {
    throw new ConfigError([
      'DATABASE_URL: required for separate api/worker processes (the embedded database serves one process; use `npm start`)',
    ]);
  }
  if (role === 'worker' && config.WORKER_PROCESSES > 1) {
    if (isPoolParent()) {
      logger.info({ processes: config.WORKER_PROCESSES }, 'starting worker processes');
      runWorkerPool(config.WORKER_PROCESSES, logger);
      return;
    }
    exitWithParent();
  }
  const redis = await resolveRedis(config, logger);
  const core = await createCore(config, logger, redis.url);
  const worker = role === 'api' ? null : await startWorker(core);
  const api = role === 'worker' ? null : await startApi(core, [worker?.modelsCheck ?? modelFilesCheck()]);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    await api?.close();
    await worker?.close();
    await core.close();
    await redis.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const role = (process.argv[2] ?? 'all') as Role;
if (!['all', 'api', 'worker'].includes(role)) {
  console.error(`Unknown role "${role}": use all, api or worker.`);
  process.exit(2);
}
main(role).catch((error: unknown) => {
  console.error(error instanceof ConfigError || (error as Error).name === 'RedisUnavailableError' || (error as Error).name === 'ModelIntegrityError'
    ? `zinda: ${(error as Error).message}`
    : error);
  process.exit(1);
});
