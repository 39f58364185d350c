import type { UnitOfWork } from '../domain/unit-of-work.js';
import type { Database, Queryable } from '../storage/database/database.js';
import { storagePorts, type StoragePorts } from '../storage/unit-of-work.js';

/** Storage's ports that also carry their connection (see connectedUnitOfWork). */
export type ConnectedScope = StoragePorts & { readonly connection: Queryable };

/**
 * The platform's unit of work whose scopes also carry their connection. ConsentService still works on a connection
 * rather than on ports, so services that call it inside their transaction hand it `scope.connection`; once it takes
 * ports, they take the platform's unit of work as it is.
 */
export function connectedUnitOfWork(db: Database): UnitOfWork<ConnectedScope> {
  return {
    ports: { ...storagePorts(db), connection: db },
    transaction: (work) => db.transaction((tx) => work({ ...storagePorts(tx), connection: tx })),
  };
}
