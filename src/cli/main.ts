import { parseArgs } from 'node:util';
import { storageUnitOfWork, type StoragePorts } from '../storage/unit-of-work.js';
import { loadConfig } from '../config/env.js';
import { ApiKeyService } from '../domain/access/api-key.service.js';
import { AuditService } from '../domain/audit/audit.service.js';
import { systemClock } from '../shared/clock.js';
import { isRole, ROLES } from '../domain/access/roles.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/env.js';
import { ConsentService } from '../domain/consent/consent.service.js';
import { ErasureService } from '../domain/rights/erasure.service.js';
import { openBiometricVault } from '../storage/blobs/open-vault.js';
import { createBackup, restoreBackup } from '../storage/backup/backup.js';
import type { UnitOfWork } from '../domain/unit-of-work.js';
import { FileErasureLedger } from '../storage/erasure-ledger.js';
import { StaffAuthService } from '../domain/staff/staff-auth.service.js';
import { PolicyReconciler } from '../domain/retention/policy-reconciler.js';
import { loadMasterKey } from '../storage/crypto/master-key.js';
import { rotateMasterKey } from '../storage/crypto/master-key-rotation.js';
import { migrateUp, prepareSchema } from '../storage/database/migrator.js';
import { runtimeRoleGrants } from '../storage/database/runtime-role.js';
import { openDatabaseForCli } from '../storage/database/open-database.js';
import { MODEL_UPGRADE_USAGE, modelUpgradeCommand } from '../bootstrap/model-upgrade.command.js';
import { ROSTER_USAGE, rosterCommand } from '../bootstrap/roster-import.command.js';

const USAGE = `Usage:
  npm run -s cli -- --help                               (this text)
  npm run -s cli -- keys create --role <${ROLES.join('|')}> [--label <text>]
  npm run -s cli -- keys list                            (key ids, roles, labels, dates; never secrets)
  npm run -s cli -- keys revoke <keyId>
  npm run -s cli -- staff create --username <name> --role <reviewer|operator|auditor|admin> [--display-name <text>] [--password-file <file>]
  npm run -s cli -- db migrate                           (as the schema owner)
  npm run -s cli -- db grant-runtime --role <role>       (as the owner: rows only, no DDL, audit log append-only)
  npm run -s cli -- audit verify      (also: npm run audit:verify)
  npm run -s cli -- retention reconcile [--extend-reason <why>]
  npm run -s cli -- backup create --out <dir>          (PostgreSQL + sealed blobs; not the erasure ledger)
  npm run -s cli -- backup restore --from <dir>        (then replays the erasure ledger)
  npm run -s cli -- erasure replay
  npm run -s cli -- keys rotate-master --new-key-file <file with 32 bytes base64>
      then restart every process with MASTER_KEY set to the new key
${MODEL_UPGRADE_USAGE}
${ROSTER_USAGE}

Configuration comes from the same environment as the service (DATABASE_URL, DATA_DIR, MASTER_KEY, ...). On the
embedded database (no DATABASE_URL) these commands work whether or not \`npm start\` runs: while it runs they go
through its private local socket (DATA_DIR/db/.socket).`;

/** Operator commands. A created key is printed once, as the last line, and never stored in the clear. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      role: { type: 'string' }, label: { type: 'string' }, 'extend-reason': { type: 'string' }, 'new-key-file': { type: 'string' },
      username: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' }, 'display-name': { type: 'string' }, 'password-file': { type: 'string' },
      model: { type: 'string' }, 'grace-days': { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, arg] = positionals;
  if (values.help || group === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!group) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabaseForCli(config);
  try {
    // `db migrate` is how the schema owner migrates; every other command follows the start policy.
    const migrate = (group === 'db' && command === 'migrate') || config.DB_MIGRATE_ON_START;
    const applied = migrate ? await migrateUp(db) : await prepareSchema(db, 'verify');
    const uow = storageUnitOfWork(db);
    const audit = new AuditService({ uow, clock: systemClock });
    const keys = new ApiKeyService({ uow });
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
    if (group === 'keys' && command === 'list') {
      const all = await keys.list();
      if (!all.length) console.log('No API keys yet: npm run -s cli -- keys create --role <role>');
      for (const k of all) {
        console.log([k.keyId, k.role.padEnd(13), `created ${k.createdAt.toISOString()}`,
          k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active', k.label ?? ''].join('  ').trimEnd());
      }
      return 0;
    }
    if (group === 'keys' && command === 'revoke' && arg) {
      const revoked = await keys.revoke(arg, new Date());
      console.log(revoked ? `Revoked ${arg}.` : `No active key ${arg}.`);
      return revoked ? 0 : 1;
    }
    if (group === 'staff' && command === 'create') {
      const role = values.role;
      if (!values.username || !role || !['reviewer', 'operator', 'auditor', 'admin'].includes(role)) {
        console.error('--username and --role (reviewer, operator, auditor, admin) are required');
        return 2;
      }
      const generated = !values['password-file'];
      const password = generated ? randomBytes(15).toString('base64url') : readFileSync(values['password-file']!, 'utf8').trim();
      const auth = new StaffAuthService({
        uow, audit, clock: systemClock,
        settings: { idleMs: 0, absoluteMs: 0, lockAfterFailures: 5, lockMs: 0 },
      });
      await auth.createUser(values.username, values['display-name'] ?? values.username, role as 'reviewer', password);
      console.log(`Created ${role} ${values.username}.${generated ? ' Password (shown once):' : ''}`);
      if (generated) console.log(password);
      return 0;
    }
    if (group === 'audit' && command === 'verify') {
      const verdict = await audit.verifyChain();
      if (verdict.intact) {
        console.log(`Audit chain intact: ${verdict.entries} entries, last hash ${verdict.lastHash}.`);
        return 0;
      }
      console.log(`Audit chain BROKEN at entry seq ${verdict.brokenAtSeq} (${verdict.entries} entries checked): ${verdict.problem}.`);
      return 1;
    }
    if (group === 'retention' && command === 'reconcile') {
      const report = await new PolicyReconciler({ uow, audit, clock: systemClock }).reconcile({
        imagesDays: config.RETENTION_IMAGES_DAYS, resultsDays: config.RETENTION_RESULTS_DAYS,
        livenessFrameHours: config.RETENTION_LIVENESS_FRAME_HOURS, templateMaxDays: config.RETENTION_TEMPLATE_MAX_DAYS ?? null,
      }, values['extend-reason']);
      console.log(`Examined ${report.examined}; shortened ${report.shortened}; extended ${report.extended}; ` +
        `kept at the promised date ${report.keptPromise}${report.keptPromise ? ' (pass --extend-reason to extend them, recorded)' : ''}.`);
      return 0;
    }
    if (group === 'keys' && command === 'rotate-master') {
      if (!values['new-key-file']) {
        console.error('--new-key-file is required');
        return 2;
      }
      const next = Buffer.from(readFileSync(values['new-key-file'], 'utf8').trim(), 'base64');
      if (next.length !== 32) {
        console.error('The new key must be 32 bytes, base64');
        return 2;
      }
      const done = await rotateMasterKey(db, loadMasterKey(config), next);
      console.log(`Re-wrapped ${done.subjects} subject keys and ${done.system} system keys; no blob was rewritten. ` +
        'Now restart every process with MASTER_KEY set to the new key.');
      return 0;
    }
    if (group === 'backup' || group === 'erasure') {
      if (!config.DATABASE_URL) {
        console.error('Backups need PostgreSQL (DATABASE_URL); for the embedded database copy DATA_DIR while stopped.');
        return 2;
      }
      const target = { databaseUrl: config.DATABASE_URL, blobsDir: path.join(config.dataDir, 'blobs') };
      if (group === 'backup' && command === 'create' && values.out) {
        const made = createBackup(target, values.out);
        console.log(`Backup written: ${made.dump} and ${made.blobs}. The erasure ledger (${config.erasureLedgerPath}) is kept apart on purpose.`);
        return 0;
      }
      if (group === 'backup' && command === 'restore' && values.from) restoreBackup(target, values.from);
      else if (!(group === 'erasure' && command === 'replay')) {
        console.error(USAGE);
        return 2;
      }
      const replayed = await erasureService(uow, audit, config).replayLedger();
      console.log(`${group === 'backup' ? 'Restored. ' : ''}Erasure ledger replayed: ${replayed.reErased} subject(s) erased again, ${replayed.recorded} erasure(s) added to the ledger.`);
      return 0;
    }
    if (group === 'model-upgrade') {
      return await modelUpgradeCommand(db, config, command, arg, { model: values.model, graceDays: values['grace-days'], reason: values.reason });
    }
    if (group === 'roster') return await rosterCommand(db, config, command, arg);
    if (group === 'db' && command === 'migrate') {
      console.log(applied.length ? `Applied: ${applied.join(', ')}.` : 'Database is up to date.');
      return 0;
    }
    if (group === 'db' && command === 'grant-runtime') {
      if (!values.role || config.embeddedDatabase) {
        console.error('--role <existing role> is required, on PostgreSQL (DATABASE_URL), run as the schema owner');
        return 2;
      }
      const database = new URL(config.DATABASE_URL!).pathname.slice(1);
      for (const sql of runtimeRoleGrants(values.role, database)) {
        await db.exec(sql);
        console.log(`${sql};`);
      }
      console.log(`Run the service as ${values.role} with DB_MIGRATE_ON_START=false.`);
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await db.close();
  }
}

function erasureService(uow: UnitOfWork<StoragePorts>, audit: AuditService, config: Config): ErasureService<StoragePorts> {
  const { vault } = openBiometricVault(config, uow.ports);
  return new ErasureService<StoragePorts>({
    uow, vault, audit, clock: systemClock, ledger: new FileErasureLedger(config.erasureLedgerPath),
    consents: new ConsentService({ uow, vault, audit, clock: systemClock }),
  });
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  console.error(`zinda cli: ${(error as Error).message}`);
  process.exit(1);
});
