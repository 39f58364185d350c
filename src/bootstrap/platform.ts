import type { Config } from '../config/env.js';
import { AuditService } from '../domain/audit/audit.service.js';
import type { RetentionSettings } from '../domain/retention/retention-policy.js';
import { imageNormalizer } from '../images/image-normalizer.js';
import { createRedis } from '../queue/connection.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { openBiometricVault } from '../storage/blobs/open-vault.js';
import { prepareSchema } from '../storage/database/migrator.js';
import { openDatabase } from '../storage/database/open-database.js';
import { storageUnitOfWork } from '../storage/unit-of-work.js';

/**
 * What every feature module stands on: configuration, the database (migrated) and its unit of work, sealed blob
 * storage, the producers' Redis connection, the audit trail, time and logs. Built once per process.
 */
export async function createPlatform(config: Config, logger: Logger, redisUrl: string, clock: Clock) {
  const db = await openDatabase(config, (error) =>
    logger.warn({ err: { message: error.message } }, 'embedded database not served on its socket: CLI commands need the service stopped'));
  const applied = await prepareSchema(db, config.DB_MIGRATE_ON_START ? 'migrate' : 'verify').catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  if (applied.length) logger.info({ applied }, 'database migrated');

  const uow = storageUnitOfWork(db);
  const { blobs, vault } = openBiometricVault(config, uow.ports);
  const redis = createRedis(redisUrl, 'producer');
  redis.on('error', () => undefined); // reported by /readyz; ioredis reconnects by itself
  const retentionSettings: RetentionSettings = {
    imagesDays: config.RETENTION_IMAGES_DAYS, resultsDays: config.RETENTION_RESULTS_DAYS,
    livenessFrameHours: config.RETENTION_LIVENESS_FRAME_HOURS, templateMaxDays: config.RETENTION_TEMPLATE_MAX_DAYS ?? null,
  };
  return {
    config, logger, clock, db, uow, blobs, vault, redis, redisUrl, retentionSettings,
    /** Uploads decoded, checked and re-encoded upright, a few at a time (the API's routes share it). */
    normalizeImage: imageNormalizer({ maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE }, config.IMAGE_NORMALIZE_CONCURRENCY),
    audit: new AuditService({ uow, clock }),
    async close() {
      redis.disconnect();
      await db.close();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof createPlatform>>;

/** A warning logger for a background failure whose work a sweep or tick will redo. */
export const warnOf = (logger: Logger) => (what: string) => (error: unknown) =>
  logger.warn({ err: { message: (error as Error).message } }, what);
