import fs from 'node:fs';
import { StartupError } from '../../core/errors/app-errors';
import { isUnreadableFileError } from '../../tenant-runtime/tenant-file-check';
import { TENANT_ID_PATTERN, archiveRoot, tenantsRoot } from '../../tenant-runtime/tenant-paths';

function tenantFoldersIn(root: string): number {
  try {
    return fs.readdirSync(root).filter((name) => TENANT_ID_PATTERN.test(name)).length;
  } catch {
    return 0;
  }
}

function sizeOf(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.size;
}

/**
 * Refuses to open a control plane that was lost: platform.sqlite missing or empty (with no WAL
 * holding its content) while DATA_DIR still holds tenant folders. Opening it would make a new,
 * empty deployment (a first-run set-up link, no users, no tenants) and the doctor would then set
 * every tenant folder aside as an orphan. A folder without tenants is a first run, as before.
 */
export function refuseLostControlPlane(dataDir: string, file: string): void {
  const size = sizeOf(file);
  if (size !== undefined && size > 0) return;
  if ((sizeOf(`${file}-wal`) ?? 0) > 0) return;
  const folders = tenantFoldersIn(tenantsRoot(dataDir)) + tenantFoldersIn(archiveRoot(dataDir));
  if (folders === 0) return;
  throw new StartupError(
    `The control plane ${file} is ${size === undefined ? 'missing' : 'empty (0 bytes)'}, but ${dataDir} holds ${folders} tenant folder(s): ` +
      'its users, tenants and memberships are gone, and starting would make a new, empty deployment beside them. ' +
      'Put back platform.sqlite from your backup of DATA_DIR. To start a new deployment on this folder on purpose, move its tenants/ and archive/ folders out of it first.',
    { file, folders },
  );
}

/** A control plane SQLite cannot read (corrupt, not a database, out of reach) said in words, not as a stack. */
export function unreadableControlPlane(file: string, error: unknown): StartupError | undefined {
  if (!isUnreadableFileError(error)) return undefined;
  return new StartupError(
    `The control plane ${file} cannot be used (${(error as Error).message}). Nothing was changed. ` +
      'Put back platform.sqlite from your backup of DATA_DIR (with its -wal file if the backup has one), then start again.',
    { file },
    { cause: error },
  );
}
