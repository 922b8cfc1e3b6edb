import fs from 'node:fs';
import path from 'node:path';
import type { MigrationSource } from '../../core/db/migration-runner';
import { ImportRefusedError, NotFoundError, OperationFailedError } from '../../core/errors/app-errors';
import { digestFile } from '../../core/fs/durable-files';
import { headOf, namesOf, verifyImportedDatabase } from '../transfer/verify-imported-database';
import { OWNER_HEADER_LENGTH, ownedByAnother, ownerInHeader } from '../../tenant-runtime/tenant-file-owner';
import { isSqliteHeader } from '../../tenant-runtime/tenant-file-check';
import { backupDir } from './backup-location';
import { readBackupManifest, type BackupManifest } from './backup-manifest';

/**
 * Checks a backup again before it is used, as untrusted input (its folder may have been changed
 * since it was taken, manifest and all: the checksums are no signature): its manifest, which must
 * list `tenant.sqlite` and no file twice; every file a regular file (a link or a pipe is never
 * followed or read) of the size and sha256 the manifest gives; then the database as an import is
 * checked (its schema exactly what the migrations it records make, no trigger or view of anyone
 * else's, integrity_check, foreign_key_check, values of their columns' kinds), recording the
 * migrations the manifest lists. Throws the first problem; nothing is changed.
 */
export async function verifyBackup(
  backupRoot: string,
  tenantId: string,
  backupId: string,
  source: MigrationSource,
): Promise<{ dir: string; manifest: BackupManifest }> {
  const dir = backupDir(backupRoot, tenantId, backupId);
  if (!fs.existsSync(dir)) throw new NotFoundError(`No backup ${backupId} for this tenant.`);
  const read = readBackupManifest(dir);
  const fail = (reason: string) => new OperationFailedError(`Backup ${backupId} cannot be used: ${reason}.`, { tenantId, backupId });
  if ('problem' in read) throw fail(read.problem);
  const { manifest } = read;
  if (manifest.tenant.id !== tenantId) throw fail('it belongs to another tenant');
  if (manifest.integrity !== 'ok') throw fail(`its copy failed the integrity check when it was taken (${manifest.integrity})`);
  const paths = manifest.files.map((entry) => entry.path);
  if (!paths.includes('tenant.sqlite')) throw fail('its manifest lists no tenant.sqlite');
  if (new Set(paths).size !== paths.length) throw fail('its manifest lists a file twice');
  const unknown = manifest.migrations.filter((name) => !source.names.includes(name));
  if (unknown.length) throw fail(`it was taken by a newer version of Tenantry (migrations ${namesOf(unknown)}); upgrade first`);
  for (const entry of manifest.files) {
    const file = path.join(dir, ...entry.path.split('/'));
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat) throw fail(`${entry.path} is missing`);
    if (!stat.isFile()) throw fail(`${entry.path} is not a regular file`);
    if (stat.size !== entry.size) throw fail(`${entry.path} does not match its checksum`);
    const digest = digestFile(file);
    if (digest.size !== entry.size || digest.sha256 !== entry.sha256) throw fail(`${entry.path} does not match its checksum`);
  }
  // A copy of another tenant's database, its manifest rewritten to name this one (docs/decisions/049).
  // Only a SQLite header names an owner: a file that is not a database is refused below as such.
  const head = headOf(path.join(dir, 'tenant.sqlite'), OWNER_HEADER_LENGTH);
  if (isSqliteHeader(head) && ownedByAnother(ownerInHeader(head), tenantId))
    throw fail("its database belongs to another tenant (the file's header names another owner)");
  try {
    const migrations = await verifyImportedDatabase(path.join(dir, 'tenant.sqlite'), source);
    if (migrations.join() !== manifest.migrations.join()) throw fail('its database records other migrations than its manifest says');
  } catch (error) {
    if (error instanceof ImportRefusedError) throw fail(error.reason);
    throw error;
  }
  return { dir, manifest };
}
