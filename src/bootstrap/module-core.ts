import type { Redis } from 'ioredis';
import type { AuditService } from '../domain/audit/audit.service.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Database } from '../storage/database/database.js';

/** What every feature module takes from the core (src/bootstrap/platform.ts provides it): storage, audit, time, logs, queues. */
export interface ModuleCore {
  readonly db: Database;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redis: Redis;
  readonly redisUrl: string;
}
