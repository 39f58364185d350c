import type { ProcessorDeps } from '../domain/verification/submission-processor.js';
import type { UnitOfWork } from '../domain/unit-of-work.js';
import type { Queryable } from '../storage/database/database.js';
import { storagePorts, type StoragePorts } from '../storage/unit-of-work.js';
import type { Service } from './service.js';

/** A processor scope that also carries its connection (see processorStorage). */
export type ProcessorScope = StoragePorts & { readonly connection: Queryable };

/**
 * The submission processor's unit of work and consent ledger. ConsentService still settles a phone's withdrawal on a
 * connection rather than on ports, so the processor's transaction scopes carry theirs; once it takes ports, this is
 * the platform's unit of work and the consent service as they are.
 */
export function processorStorage(svc: Service): { uow: UnitOfWork<ProcessorScope>; consents: ProcessorDeps<ProcessorScope>['consents'] } {
  const { db, uow } = svc.platform;
  const consents = svc.consent.consents;
  return {
    uow: { ports: { ...uow.ports, connection: db }, transaction: (work) => db.transaction((tx) => work({ ...storagePorts(tx), connection: tx })) },
    consents: {
      isCovered: (subjectId, needs) => consents.isCovered(subjectId, needs),
      settleWithdrawal: (scope, submissionId, decision, score) => consents.settleWithdrawal(scope.connection, submissionId, decision, score),
      purgeNow: (subjectId) => consents.purgeNow(subjectId),
    },
  };
}
