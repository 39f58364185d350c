import { createReadStream } from 'node:fs';
import { storageUnitOfWork } from '../storage/unit-of-work.js';
import { createInterface } from 'node:readline';
import type { Config } from '../config/env.js';
import { AuditService } from '../domain/audit/audit.service.js';
import type { Actor } from '../domain/audit/audit-entry.js';
import { RosterImportService } from '../domain/roster/roster-import.service.js';
import { rosterLines } from '../domain/roster/roster-rows.js';
import { SubjectService } from '../domain/subjects/subject.service.js';
import { systemClock } from '../shared/clock.js';
import { openBiometricVault } from '../storage/blobs/open-vault.js';
import type { Database } from '../storage/database/database.js';

export const ROSTER_USAGE = `  npm run -s cli -- roster import <file.csv|file.ndjson>   (idempotent: run it again to resume; prints rejected rows)`;

const CLI_ACTOR: Actor = { type: 'system', id: 'cli', role: null };

/** The roster import over the same subject service as the API. */
export function rosterImportService(audit: AuditService, subjects: SubjectService): RosterImportService {
  return new RosterImportService({
    subjects: {
      find: (ref) => subjects.find(ref),
      create: (ref, passport, language, actor) => subjects.create(ref, passport, language, actor),
      passport: (subject) => subjects.passport(subject),
    },
    audit: (event) => audit.record(event),
  });
}

/** `roster import <file>`: reads the file line by line and prints the report. */
export async function rosterCommand(db: Database, config: Config, command: string | undefined, file: string | undefined): Promise<number> {
  if (command !== 'import' || !file) {
    console.error(ROSTER_USAGE);
    return 2;
  }
  const uow = storageUnitOfWork(db);
  const audit = new AuditService({ uow, clock: systemClock });
  const { vault } = openBiometricVault(config, uow.ports);
  const service = rosterImportService(audit, new SubjectService({ uow, vault, audit, clock: systemClock }));
  const format = /\.(nd)?jsonl?$/i.test(file) ? 'ndjson' : 'csv';
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const report = await service.import(rosterLines(lines, format), CLI_ACTOR);
  console.log(`Rows ${report.rows}: created ${report.created}, unchanged ${report.unchanged}, rejected ${report.rejected}.`);
  for (const r of report.rejectedRows) console.log(`  line ${r.line}${r.subjectId ? ` (${r.subjectId})` : ''}: ${r.code} ${r.message}`);
  return report.rejected ? 1 : 0;
}
