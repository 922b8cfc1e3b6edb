import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../core/config/load-config';
import { isBackupId, tenantBackupsDir, timeOfBackupId } from './backup-location';
import { readBackupManifest, type BackupKind, type BackupManifest } from './backup-manifest';

/** One backup of a tenant, as the console and the CLI list it. */
export interface BackupListing {
  id: string;
  /** Epoch ms the backup was taken. */
  takenAt: number;
  kind: BackupKind | 'unknown';
  bytes: number;
  fileCount: number;
  schemaVersion: string | null;
  /** The copy passed integrity_check when it was taken and its manifest reads: it can be restored. */
  verified: boolean;
  /** What is wrong when it is not verified. */
  problem?: string;
  manifest?: BackupManifest;
}

/** A backup as the admin API and the CLI's --json give it: snake_case, its time in ISO 8601. */
export function backupListingJson(b: BackupListing) {
  return {
    id: b.id,
    taken_at: new Date(b.takenAt).toISOString(),
    kind: b.kind,
    bytes: b.bytes,
    files: b.fileCount,
    schema_version: b.schemaVersion,
    verified: b.verified,
    problem: b.problem ?? null,
  };
}

/**
 * A tenant's backups, newest first, read from BACKUP_DIR (the folders are the truth: an operator
 * may copy them away or remove them). Backups in progress or being removed are not listed.
 */
export function listBackups(platform: { config: Pick<Config, 'backupDir'> }, tenantId: string): BackupListing[] {
  const dir = tenantBackupsDir(platform.config.backupDir, tenantId);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isBackupId);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .sort()
    .reverse()
    .map((id): BackupListing => {
      const read = readBackupManifest(path.join(dir, id));
      if ('problem' in read)
        return { id, takenAt: timeOfBackupId(id), kind: 'unknown', bytes: 0, fileCount: 0, schemaVersion: null, verified: false, problem: read.problem };
      const m = read.manifest;
      const verified = m.integrity === 'ok' && m.tenant.id === tenantId;
      return {
        id,
        takenAt: timeOfBackupId(id),
        kind: m.kind,
        bytes: m.total_bytes,
        fileCount: m.files.length - 1,
        schemaVersion: m.schema_version,
        verified,
        ...(verified ? {} : { problem: m.tenant.id === tenantId ? `integrity: ${m.integrity}` : 'belongs to another tenant' }),
        manifest: m,
      };
    });
}
