import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where a deployment's data lives: the PostgreSQL database and the sealed blob directory. */
export interface BackupTarget {
  readonly databaseUrl: string;
  readonly blobsDir: string;
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${cmd} could not run (${result.error.message}); install the PostgreSQL client tools`);
  if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

/**
 * A consistent-enough backup for this service: pg_dump (custom format) plus a copy of the sealed blobs.
 * The blobs are ciphertext under per-subject keys held in the database, so the copy is unreadable without
 * the dump and the master key. The erasure ledger is deliberately NOT part of it (see ErasureLedger).
 */
export function createBackup(target: BackupTarget, outDir: string): { dump: string; blobs: string } {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const dump = path.join(outDir, 'database.dump');
  run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, target.databaseUrl]);
  const blobs = path.join(outDir, 'blobs');
  if (existsSync(target.blobsDir)) cpSync(target.blobsDir, blobs, { recursive: true });
  writeFileSync(path.join(outDir, 'backup.json'), JSON.stringify({ createdAt: new Date().toISOString(), format: 'zinda-backup-1' }, null, 2));
  return { dump, blobs };
}

/**
 * Restores a backup over the current data. The caller MUST replay the erasure ledger afterwards
 * (`ErasureService.replayLedger`): the CLI does both in one command.
 */
export function restoreBackup(target: BackupTarget, fromDir: string): void {
  const dump = path.join(fromDir, 'database.dump');
  if (!existsSync(dump)) throw new Error(`${dump} not found`);
  run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${target.databaseUrl}`, dump]);
  rmSync(target.blobsDir, { recursive: true, force: true });
  const blobs = path.join(fromDir, 'blobs');
  if (existsSync(blobs)) cpSync(blobs, target.blobsDir, { recursive: true });
}
