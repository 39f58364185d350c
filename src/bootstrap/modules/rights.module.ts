import { rightsRoutes } from '../../api/routes/rights.routes.js';
import { AccessReportService } from '../../domain/rights/access-report.service.js';
import { ErasureService } from '../../domain/rights/erasure.service.js';
import { FileErasureLedger } from '../../storage/erasure-ledger.js';
import type { StoragePorts } from '../../storage/unit-of-work.js';
import type { Platform } from '../platform.js';
import type { AccessModule } from './access.module.js';
import type { ConsentModule } from './consent.module.js';
import type { SubjectsModule } from './subjects.module.js';

/** The subject's rights: what is held, why, until when and who saw it (Art. 22/25), and erasure (Art. 20). */
export function createRightsModule(platform: Platform, deps: { subjects: SubjectsModule; consent: ConsentModule; access: AccessModule }) {
  const { subjects, consent } = deps;
  const { uow, vault, audit, clock } = platform;
  const reports = new AccessReportService({ uow, passports: subjects.subjects, audit, clock });
  const erasure = new ErasureService<StoragePorts>({
    uow, consents: consent.consents, vault, audit, clock, ledger: new FileErasureLedger(platform.config.erasureLedgerPath),
  });
  return {
    reports,
    erasure,
    routes: rightsRoutes({ subjects: subjects.subjects, reports, erasure, devices: deps.access.devices, clock }),
  };
}

export type RightsModule = ReturnType<typeof createRightsModule>;
