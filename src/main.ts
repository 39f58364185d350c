import { loadConfig } from './config/env.js';
import { composeService } from './bootstrap/service.js';
import { resolveRedis } from './bootstrap/local-redis.js';
import { modelFilesCheck, startApi, startWorker } from './bootstrap/roles.js';
import { ConfigError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';
import { exitWithParent, isPoolParent, runWorkerPool } from './bootstrap/worker-pool.js';
import { shutdownWithDeadline, type Shutdown } from './bootstrap/shutdown.js';
import { createFirstAdmin } from './bootstrap/first-start.js';

/** Share of the shutdown budget open HTTP requests get to finish; jobs and closing connections get the rest. */
const HTTP_DRAIN_SHARE = 0.4;
/** The last start-up line: from it on, SIGTERM shuts down gracefully (tests wait for it before signalling). */
const STOP_HINT = 'SIGTERM or Ctrl-C stops it';

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
      runWorkerPool(config.WORKER_PROCESSES, logger, config.SHUTDOWN_TIMEOUT_MS);
      return;
    }
    exitWithParent();
  }
  const redis = await resolveRedis(config, logger);
  const svc = await composeService(config, logger, redis.url);
  const worker = role === 'api' ? null : await startWorker(svc);
  const api = role === 'worker' ? null : await startApi(svc, [worker?.modelsCheck ?? modelFilesCheck()]);
  if (role === 'all' && api) await createFirstAdmin(svc, api.url);

  let stopping: Shutdown | null = null;
  const shutdown = (signal: string) => {
    if (stopping) return stopping.force(`second ${signal}`);
    const deadlineMs = config.SHUTDOWN_TIMEOUT_MS;
    logger.info({ signal, deadlineMs }, 'shutting down: finishing in-flight work');
    stopping = shutdownWithDeadline({
      deadlineMs, logger, exit: (code) => process.exit(code),
      running: () => ({ requests: api?.requests() ?? null, activeJobs: worker?.activeJobs() ?? null }),
      closers: [
        ...(api ? [{ name: 'http server', close: () => api.close(Math.floor(deadlineMs * HTTP_DRAIN_SHARE)) }] : []),
        ...(worker ? [{ name: 'job workers', close: () => worker.close() }] : []),
        { name: 'database and queues', close: () => svc.close() },
        { name: 'local redis', close: () => redis.stop() },
      ],
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Until here a signal ends the process at once (nothing to finish yet); from here it stops gracefully.
  logger.info({ role, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }, `running: ${STOP_HINT}`);
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
