import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { ApiKeyService } from '../domain/access/api-key.service.js';
import { AuditService } from '../domain/audit/audit.service.js';
import { systemClock } from '../shared/clock.js';
import { isRole, ROLES } from '../domain/access/roles.js';
import { migrateUp } from '../storage/database/migrator.js';
import { openDatabase } from '../storage/database/open-database.js';
import { createRepositories } from '../storage/repositories/index.js';

const USAGE = `Usage:
  npm run -s cli -- keys create --role <${ROLES.join('|')}> [--label <text>]
  npm run -s cli -- keys revoke <keyId>
  npm run -s cli -- db migrate
  npm run -s cli -- audit verify      (also: npm run audit:verify)`;

/** Operator commands. A created key is printed once, as the last line, and never stored in the clear. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true,
    options: { role: { type: 'string' }, label: { type: 'string' } },
  });
  const [group, command, arg] = positionals;
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrateUp(db);
    const keys = new ApiKeyService(createRepositories(db).apiKeys);
    if (group === 'keys' && command === 'create') {
      if (!values.role || !isRole(values.role)) {
        console.error(`--role is required: one of ${ROLES.join(', ')}`);
        return 2;
      }
      const created = await keys.create(values.role, values.label ?? null);
      console.log(`Created ${values.role} key ${created.keyId}. Store it now: it is shown only once.`);
      console.log(created.key);
      return 0;
    }
    if (group === 'keys' && command === 'revoke' && arg) {
      const revoked = await keys.revoke(arg, new Date());
      console.log(revoked ? `Revoked ${arg}.` : `No active key ${arg}.`);
      return revoked ? 0 : 1;
    }
    if (group === 'audit' && command === 'verify') {
      const verdict = await new AuditService(db, systemClock).verifyChain();
      if (verdict.intact) {
        console.log(`Audit chain intact: ${verdict.entries} entries, last hash ${verdict.lastHash}.`);
        return 0;
      }
      console.log(`Audit chain BROKEN at entry seq ${verdict.brokenAtSeq} (${verdict.entries} entries checked): ${verdict.problem}.`);
      return 1;
    }
    if (group === 'db' && command === 'migrate') {
      console.log('Database is up to date.');
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  console.error(`zinda cli: ${(error as Error).message}`);
  process.exit(1);
});
