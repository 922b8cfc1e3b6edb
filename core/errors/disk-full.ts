import { diskSpace } from '../fs/disk-space';

/** Below this, a failed write is put down to a full disk even when the OS or SQLite named it vaguely. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * Whether a failure is the disk (or the user's quota) being full: ENOSPC and EDQUOT from the
 * file system, SQLITE_FULL from SQLite, and, when `dir` is given, a vague SQLite I/O error
 * (SQLITE_IOERR_*: a failed fsync, truncate or shared-memory grow) on a disk with no free space
 * left, which is what a full disk looks like to SQLite outside a plain write.
 */
export function isDiskFull(error: unknown, dir?: string): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
    if (dir && typeof code === 'string' && code.startsWith('SQLITE_IOERR')) {
      const space = diskSpace(dir, NEARLY_FULL_BYTES);
      if (space?.low) return true;
    }
  }
  return false;
}

/** How the product says a full disk, wherever an operation reports why it failed (the CLI, the console, fleet status). */
export const DISK_FULL_REASON = 'the disk is full; nothing more could be written. Free some space (old backups, exports, deleted files), then try again.';

/**
 * Why an operation failed, in words: a full disk (see `isDiskFull`, `dir` the folder it wrote to)
 * as `DISK_FULL_REASON`, never as SQLite's "database or disk is full" or ENOSPC; anything else as
 * its message.
 */
export function failureReason(error: unknown, dir?: string): string {
  if (isDiskFull(error, dir)) return DISK_FULL_REASON;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a write that a request can do without (remembering the last workspace, renewing a
 * session): on a full disk it is skipped, so a read never fails because of it. Any other error
 * is thrown as usual.
 */
export function unlessDiskFull(write: () => void, onSkipped?: (error: unknown) => void): void {
  try {
    write();
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    onSkipped?.(error);
  }
}
