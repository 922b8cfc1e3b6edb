import path from 'node:path';
import { NotFoundError } from '../../core/errors/app-errors';
import { TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';

/** A backup's id is the UTC time it was taken, to the millisecond: 20250301T031500123Z. */
export const BACKUP_ID_PATTERN = /^\d{8}T\d{9}Z$/;

export function backupIdAt(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

/**
 * The time a backup id names (epoch ms), or NaN for anything else: digits that name no time (a
 * 13th month, a 30th of February) too, so a folder named so by hand is not taken for a backup.
 */
export function timeOfBackupId(id: string): number {
  if (!BACKUP_ID_PATTERN.test(id)) return Number.NaN;
  const iso = `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}.${id.slice(15, 18)}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || backupIdAt(ms) !== id ? Number.NaN : ms;
}

/** A backup's id: the pattern, and a real time. */
export function isBackupId(id: string): boolean {
  return !Number.isNaN(timeOfBackupId(id));
}

/** BACKUP_DIR/<tenant-id>/: one folder per backup, named by its id. Ids are checked before they become paths. */
export function tenantBackupsDir(backupRoot: string, tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new NotFoundError('Unknown tenant');
  const root = path.resolve(backupRoot);
  const dir = path.resolve(root, tenantId);
  if (path.dirname(dir) !== root) throw new NotFoundError('Unknown tenant');
  return dir;
}

export function backupDir(backupRoot: string, tenantId: string, backupId: string): string {
  if (!isBackupId(backupId)) throw new NotFoundError(`No backup "${backupId.slice(0, 40)}".`);
  return path.join(tenantBackupsDir(backupRoot, tenantId), backupId);
}

/** A backup being written: `.partial-<id>-<pid>`, renamed to `<id>` once complete and verified. */
export const PARTIAL_PREFIX = '.partial-';

export function partialName(backupId: string, pid = process.pid): string {
  return `${PARTIAL_PREFIX}${backupId}-${pid}`;
}

/** A backup being removed by retention: renamed away first, so a half-removed backup never looks whole. */
export const DELETING_PREFIX = '.deleting-';
