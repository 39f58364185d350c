import type { UnitOfWork } from '../domain/unit-of-work.js';
import type { Database, Queryable } from './database/database.js';
import { campaignRepositories } from './repositories/campaign.repository.js';
import { createRepositories } from './repositories/index.js';

/** Every repository port over one connection or transaction (what a unit of work's scope holds). */
function storagePorts(db: Queryable) {
  return { ...createRepositories(db), ...campaignRepositories(db) };
}

/** Every repository port, bound to one connection or one transaction. */
export type StoragePorts = ReturnType<typeof storagePorts>;

/**
 * The one unit of work over PostgreSQL/PGlite. Each domain service declares the narrower ports it needs
 * (`UnitOfWork<RetentionPorts>`, …); this satisfies all of them, checked where the composition root wires them.
 */
export function storageUnitOfWork(db: Database): UnitOfWork<StoragePorts> {
  return {
    ports: storagePorts(db),
    transaction: (work) => db.transaction((tx) => work(storagePorts(tx))),
  };
}
