import { AccessReportService } from '../../domain/rights/access-report.service.js';
import { ErasureService } from '../../domain/rights/erasure.service.js';
import { FileErasureLedger } from '../../storage/erasure-ledger.js';
import type { StoragePorts } from '../../storage/unit-of-work.js';
import type { Platform } from '../platform.js';
import type { ConsentModule } from './consent.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** The subject's rights: what is held, why, until when and who saw it (Art. 22/25), and erasure (Art. 20). */
export function createRightsModule(platform: Platform, subjects: SubjectsModule, consent: ConsentModule) {
  const { uow, vault, audit, clock } = platform;
  return {
    reports: new AccessReportService({ uow, passports: subjects.subjects, audit, clock }),
    erasure: new ErasureService<StoragePorts>({
      uow, consents: consent.consents, vault, audit, clock, ledger: new FileErasureLedger(platform.config.erasureLedgerPath),
    }),
  };
}

export type RightsModule = ReturnType<typeof createRightsModule>;
