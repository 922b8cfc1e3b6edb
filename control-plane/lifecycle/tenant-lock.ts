import fs from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../../core/errors/app-errors';
import { FileLock } from '../../core/process/file-lock';
import { TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';
import { deadlineIn } from '../../core/time/monotonic-deadline';

export function locksDir(dataDir: string): string {
  return path.resolve(dataDir, 'locks');
}

/** data/locks/tenant-<id>.lock: held by the process provisioning, archiving, restoring, purging, renaming or backing up the tenant. */
export function tenantLockFile(dataDir: string, tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error('not a tenant id');
  return path.join(locksDir(dataDir), `tenant-${tenantId}.lock`);
}

/**
 * Holds the tenant's operation lock, so that two processes (the server and the CLI, two CLI
 * runs, a sweep) never work on one tenant's files at once, and a sweep can tell an operation
 * in progress (lock held) from one cut off by a crash (lock free).
 */
export function holdTenantLock(dataDir: string, tenantId: string): FileLock {
  const lock = FileLock.tryHold(tenantLockFile(dataDir, tenantId));
  if (!lock) throw new ConflictError('Another operation is running on this tenant right now. Try again in a moment.', { tenantId });
  return lock;
}

/** The lock when it is free (its holder finished or died), undefined while an operation runs. */
export function tryTenantLock(dataDir: string, tenantId: string): FileLock | undefined {
  return FileLock.tryHold(tenantLockFile(dataDir, tenantId));
}

/** How long a request waits for an operation of the same kind on the tenant (its own double submit) to end. */
export const SAME_OPERATION_WAIT_MS = 60_000;
const POLL_MS = 25;

/**
 * Waits, without blocking the process, until nobody holds the tenant's lock (its operation ended,
 * here or in another process), up to `waitMs`: false when it is still held then.
 */
export async function tenantLockFreed(dataDir: string, tenantId: string, waitMs = SAME_OPERATION_WAIT_MS): Promise<boolean> {
  const file = tenantLockFile(dataDir, tenantId);
  const deadline = deadlineIn(waitMs);
  while (FileLock.isHeld(file)) {
    if (deadline.passed()) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Runs fn under the tenant's lock and removes the lock file afterwards. */
export async function withTenantLock<T>(dataDir: string, tenantId: string, fn: () => Promise<T> | T): Promise<T> {
  const lock = holdTenantLock(dataDir, tenantId);
  try {
    return await fn();
  } finally {
    lock.release({ remove: true });
  }
}

/** Lock files left behind (their operation ended without removing them): tenant ids. */
export function lockedTenantIds(dataDir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(locksDir(dataDir));
  } catch {
    return [];
  }
  return entries.map((e) => /^tenant-(t[0-9a-f]{24})\.lock$/.exec(e)?.[1]).filter((id): id is string => Boolean(id));
}
