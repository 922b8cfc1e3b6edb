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

function permissionProblem(file: string, detail: string, options: ErrorOptions = {}): StartupError {
  return new StartupError(
    `The control plane ${file} cannot be opened for reading and writing (${detail}). Nothing was changed. ` +
      'Check that the user running Tenantry owns DATA_DIR and the files in it (platform.sqlite with its -wal and -shm), and that DATA_DIR is not on a read-only mount.',
    { file },
    options,
  );
}

/**
 * Refuses a control plane this user may not write (a file left owned by another user after a
 * copy or a restore): SQLite would open it read-only without a word, and the first write (a
 * sign-in, a fleet run at start-up) would fail with a stack.
 */
export function refuseUnwritableControlPlane(file: string): void {
  for (const part of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.accessSync(part, fs.constants.R_OK | fs.constants.W_OK);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') continue;
      throw permissionProblem(part, code ?? String(error), { cause: error });
    }
  }
}

/**
 * A control plane SQLite cannot use, said in words, not as a stack: one this user may not read or
 * write (permissions: nothing to restore), or one that is damaged (corrupt, not a database).
 */
export function unreadableControlPlane(file: string, error: unknown): StartupError | undefined {
  if (!isUnreadableFileError(error)) return undefined;
  const code = String((error as { code?: unknown }).code);
  if (/^SQLITE_(READONLY|CANTOPEN)/.test(code)) return permissionProblem(file, (error as Error).message, { cause: error });
  return new StartupError(
    `The control plane ${file} cannot be used (${(error as Error).message}). Nothing was changed. ` +
      'Put back platform.sqlite from your backup of DATA_DIR (with its -wal file if the backup has one), then start again.',
    { file },
    { cause: error },
  );
}
