import { AccessReportService } from '../../domain/rights/access-report.service.js';
import { ErasureService } from '../../domain/rights/erasure.service.js';
import { FileErasureLedger } from '../../storage/erasure-ledger.js';
import { connectedUnitOfWork, type ConnectedScope } from '../connected-scope.js';
import type { Platform } from '../platform.js';
import type { ConsentModule } from './consent.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** The subject's rights: what is held, why, until when and who saw it (Art. 22/25), and erasure (Art. 20). */
export function createRightsModule(platform: Platform, subjects: SubjectsModule, consent: ConsentModule) {
  const { db, uow, vault, audit, clock } = platform;
  const consents = consent.consents;
  return {
    reports: new AccessReportService({ uow, passports: subjects.subjects, audit, clock }),
    erasure: new ErasureService<ConnectedScope>({
      uow: connectedUnitOfWork(db),
      consents: { withdrawAll: (subjectId, reason, actor, scope) => consents.withdrawAll(subjectId, reason, actor, scope.connection) },
      vault, audit, clock, ledger: new FileErasureLedger(platform.config.erasureLedgerPath),
    }),
  };
}

export type RightsModule = ReturnType<typeof createRightsModule>;
