import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError, OperationFailedError } from '../../core/errors/app-errors';
import { digestFile } from '../../core/fs/durable-files';
import { checkDatabaseFile } from '../../tenant-runtime/tenant-snapshot';
import { backupDir } from './backup-location';
import { readBackupManifest, type BackupManifest } from './backup-manifest';

/**
 * Checks a backup again before it is used: its manifest, every file's size and sha256 against
 * it, nothing else in the folder, and integrity_check on the database copy. Throws the first
 * problem; a backup that passes is exactly what was taken.
 */
export function verifyBackup(backupRoot: string, tenantId: string, backupId: string): { dir: string; manifest: BackupManifest } {
  const dir = backupDir(backupRoot, tenantId, backupId);
  if (!fs.existsSync(dir)) throw new NotFoundError(`No backup ${backupId} for this tenant.`);
  const read = readBackupManifest(dir);
  const fail = (reason: string) => new OperationFailedError(`Backup ${backupId} cannot be used: ${reason}.`, { tenantId, backupId });
  if ('problem' in read) throw fail(read.problem);
  const { manifest } = read;
  if (manifest.tenant.id !== tenantId) throw fail('it belongs to another tenant');
  if (manifest.integrity !== 'ok') throw fail(`its copy failed the integrity check when it was taken (${manifest.integrity})`);
  for (const entry of manifest.files) {
    const file = path.join(dir, ...entry.path.split('/'));
    if (!fs.existsSync(file)) throw fail(`${entry.path} is missing`);
    const digest = digestFile(file);
    if (digest.size !== entry.size || digest.sha256 !== entry.sha256) throw fail(`${entry.path} does not match its checksum`);
  }
  const check = checkDatabaseFile(path.join(dir, 'tenant.sqlite'));
  if (check.integrity !== 'ok') throw fail(`integrity check: ${check.integrity}`);
  return { dir, manifest };
}
