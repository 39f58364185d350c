import type { ProcessorDeps } from '../domain/verification/submission-processor.js';
import type { UnitOfWork } from '../domain/unit-of-work.js';
import { connectedUnitOfWork, type ConnectedScope } from './connected-scope.js';
import type { Service } from './service.js';

/** A processor scope that also carries its connection (see processorStorage). */
export type ProcessorScope = ConnectedScope;

/**
 * The submission processor's unit of work and consent ledger. ConsentService still settles a phone's withdrawal on a
 * connection rather than on ports, so the processor's transaction scopes carry theirs; once it takes ports, this is
 * the platform's unit of work and the consent service as they are.
 */
export function processorStorage(svc: Service): { uow: UnitOfWork<ProcessorScope>; consents: ProcessorDeps<ProcessorScope>['consents'] } {
  const consents = svc.consent.consents;
  return {
    uow: connectedUnitOfWork(svc.platform.db),
    consents: {
      isCovered: (subjectId, needs) => consents.isCovered(subjectId, needs),
      settleWithdrawal: (scope, submissionId, decision, score) => consents.settleWithdrawal(scope.connection, submissionId, decision, score),
      purgeNow: (subjectId) => consents.purgeNow(subjectId),
    },
  };
}
