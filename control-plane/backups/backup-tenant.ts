import fs from 'node:fs';
import path from 'node:path';
import { OperationFailedError } from '../../core/errors/app-errors';
import { digestFile, fsyncDir } from '../../core/fs/durable-files';
import { makeDirectory } from '../../core/fs/make-directory';
import { pausePoint } from '../../core/process/pause-point';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { inspectTenantFile } from '../../tenant-runtime/tenant-file-check';
import { checkDatabaseFile } from '../../tenant-runtime/tenant-snapshot';
import { backupIdAt, partialName, tenantBackupsDir } from './backup-location';
import { writeManifest, type BackupKind, type BackupManifest, type FileEntry } from './backup-manifest';
import { copyStoredFiles } from './copy-stored-files';
import { copyTenantSnapshot, type TenantSnapshot } from './copy-tenant-snapshot';
import { tenantFingerprint } from './tenant-fingerprint';

/** One tenant's backup, as plain data: it runs on a worker thread as well as here. */
export interface BackupJob {
  dataDir: string;
  backupRoot: string;
  tenant: { id: string; slug: string; name: string };
  kind: BackupKind;
  /** The folder to copy when it is not the tenant's live one (the state a restore replaced). */
  sourceDir?: string;
  /** Keep a copy that fails its integrity check, marked so, instead of failing (that state may be damaged). */
  keepDamaged?: boolean;
}

/**
 * Backs up one tenant into BACKUP_DIR/<tenant-id>/<backup-id>/: a consistent copy of its database
 * (VACUUM INTO under a read snapshot, while it is in use), a copy of each stored file, and a
 * manifest with the size and sha256 of every file. The copy is checked (integrity_check) before
 * the backup counts: it is written as `.partial-<id>-<pid>` and renamed to `<id>` only when
 * complete, verified and flushed, so a backup cut off at any instant is never taken for one.
 */
export function backupTenant(job: BackupJob): BackupManifest {
  const sourceDir = job.sourceDir ?? tenantPaths(job.dataDir, job.tenant.id).dir;
  if (!fs.existsSync(path.join(sourceDir, 'tenant.sqlite'))) {
    throw new OperationFailedError(`The database of ${job.tenant.slug} is missing: there is nothing to back up.`, { tenantId: job.tenant.id });
  }
  const parent = tenantBackupsDir(job.backupRoot, job.tenant.id);
  makeDirectory(parent);
  let at = Date.now();
  while (fs.existsSync(path.join(parent, backupIdAt(at))) || fs.existsSync(path.join(parent, partialName(backupIdAt(at))))) at++;
  const backupId = backupIdAt(at);
  const partial = path.join(parent, partialName(backupId));
  fs.mkdirSync(partial);
  try {
    const manifest = writeBackup(job, sourceDir, partial, backupId);
    pausePoint('backup:verified');
    fs.renameSync(partial, path.join(parent, backupId));
    fsyncDir(parent);
    return manifest;
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

function writeBackup(job: BackupJob, sourceDir: string, partial: string, backupId: string): BackupManifest {
  let snapshot: TenantSnapshot;
  try {
    // An empty file copies as a sound empty database: it is refused here, as the router refuses it.
    const damage = inspectTenantFile(path.join(sourceDir, 'tenant.sqlite'));
    if (damage) throw new OperationFailedError(`The database of ${job.tenant.slug} is damaged: ${damage}.`, { tenantId: job.tenant.id });
    snapshot = copyTenantSnapshot(sourceDir, partial, 'backup');
  } catch (error) {
    if (!job.keepDamaged) throw error;
    return keepAsItWas(job, sourceDir, partial, backupId, tenantFingerprint(sourceDir), error);
  }
  const databaseCopy = path.join(partial, 'tenant.sqlite');
  const check = checkDatabaseFile(databaseCopy);
  if (check.integrity !== 'ok' && !job.keepDamaged) {
    throw new OperationFailedError(`The copy of ${job.tenant.slug} failed its integrity check: ${check.integrity}`, { tenantId: job.tenant.id });
  }
  return finish(job, partial, backupId, snapshot.fingerprint, [{ path: 'tenant.sqlite', ...digestFile(databaseCopy) }, ...snapshot.files], {
    migrations: check.migrations,
    missing: snapshot.missing,
    integrity: check.integrity,
  });
}

/** The state a restore replaced could not be copied through SQLite: its bytes are kept as they were, marked damaged. */
function keepAsItWas(job: BackupJob, sourceDir: string, partial: string, backupId: string, fingerprint: string, error: unknown): BackupManifest {
  fs.rmSync(path.join(partial, 'tenant.sqlite'), { force: true });
  fs.copyFileSync(path.join(sourceDir, 'tenant.sqlite'), path.join(partial, 'tenant.sqlite'));
  const files = copyStoredFiles(path.join(sourceDir, 'files'), path.join(partial, 'files'));
  const reason = error instanceof Error ? error.message : String(error);
  return finish(job, partial, backupId, fingerprint, [{ path: 'tenant.sqlite', ...digestFile(path.join(partial, 'tenant.sqlite')) }, ...files], {
    migrations: [],
    missing: [],
    integrity: `not a usable copy: ${reason}`,
  });
}

function finish(
  job: BackupJob,
  partial: string,
  backupId: string,
  fingerprint: string,
  files: FileEntry[],
  found: { migrations: string[]; missing: string[]; integrity: string },
): BackupManifest {
  const manifest: BackupManifest = {
    format: 'tenantry-backup',
    version: 1,
    backup_id: backupId,
    kind: job.kind,
    created_at: new Date().toISOString(),
    tenant: job.tenant,
    schema_version: found.migrations.at(-1) ?? null,
    migrations: found.migrations,
    fingerprint,
    files,
    total_bytes: files.reduce((sum, f) => sum + f.size, 0),
    missing_files: found.missing,
    integrity: found.integrity,
  };
  writeManifest(partial, manifest);
  fsyncDir(path.join(partial, 'files'));
  fsyncDir(partial);
  return manifest;
}
