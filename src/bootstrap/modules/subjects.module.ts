import { rosterRoutes } from '../../api/routes/roster.routes.js';
import { SubjectService } from '../../domain/subjects/subject.service.js';
import type { Platform } from '../platform.js';
import { rosterImportService } from '../roster-import.command.js';

/** Pensioners: the subject records with their sealed passport fields and references, and the roster import. */
export function createSubjectsModule(platform: Platform) {
  const { uow, vault, audit, clock, config } = platform;
  const subjects = new SubjectService({ uow, vault, audit, clock, referenceMaxAgeYears: config.REFERENCE_MAX_AGE_YEARS });
  const roster = rosterImportService(audit, subjects);
  return { subjects, roster, routes: rosterRoutes({ roster }) };
}

export type SubjectsModule = ReturnType<typeof createSubjectsModule>;
