import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../core/config/load-config';
import { isProcessAlive } from '../../core/ops/process-alive';
import { DELETING_PREFIX, PARTIAL_PREFIX, tenantBackupsDir } from './backup-location';
import { backupsToRemove } from './backup-retention';
import { listBackups } from './list-backups';
import { pausePoint } from '../../core/process/pause-point';

/**
 * Applies the retention policy (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY) to a tenant's backups.
 * Each removed backup is first renamed away, so one cut off half-way is never listed.
 */
export function pruneBackups(config: Pick<Config, 'backupDir' | 'backupKeep'>, tenantId: string): string[] {
  const dir = tenantBackupsDir(config.backupDir, tenantId);
  const remove = backupsToRemove(
    listBackups({ config }, tenantId).map((b) => ({ id: b.id, takenAt: b.takenAt, kind: b.kind, verified: b.verified })),
    config.backupKeep,
  );
  for (const backup of remove) {
    const doomed = path.join(dir, `${DELETING_PREFIX}${backup.id}`);
    fs.renameSync(path.join(dir, backup.id), doomed);
    pausePoint('prune:renamed');
    fs.rmSync(doomed, { recursive: true, force: true });
  }
  return remove.map((b) => b.id);
}

/**
 * What interrupted backups left in a tenant's backup folder: partial copies of a process that is
 * gone, and backups half-removed by retention. Partial copies of a running process are not.
 */
export function backupLeftovers(backupRoot: string, tenantId: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tenantBackupsDir(backupRoot, tenantId));
  } catch {
    return [];
  }
  return names.filter((name) => {
    const partialOf = name.startsWith(PARTIAL_PREFIX) ? Number(name.slice(name.lastIndexOf('-') + 1)) : undefined;
    return name.startsWith(DELETING_PREFIX) || (partialOf !== undefined && partialOf !== process.pid && !isProcessAlive(partialOf));
  });
}

/** Removes what backupLeftovers finds; answers how many. */
export function sweepBackupLeftovers(backupRoot: string, tenantId: string): number {
  const leftovers = backupLeftovers(backupRoot, tenantId);
  for (const name of leftovers) fs.rmSync(path.join(tenantBackupsDir(backupRoot, tenantId), name), { recursive: true, force: true });
  return leftovers.length;
}
