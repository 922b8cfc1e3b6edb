import fs from 'node:fs';
import { ConflictError } from '../../core/errors/app-errors';
import type { FileLock } from '../../core/process/file-lock';
import type { ControlPlane } from '../control-plane';
import { tryTenantLock } from '../lifecycle/tenant-lock';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';

/** Statuses whose file is live and can be copied; a tenant in maintenance is being replaced. */
export const BACKED_UP = ['active', 'suspended'] as const;

/**
 * A backup holds its tenant's operation lock (the one archives, purges, renames and restores
 * take, across processes) for the time of its copy: none of those starts under it (their usual
 * 409), and it starts under none of them. Reads and the workspace's own writes go on: the lock is
 * no lock on the tenant's file. The lock, or why the tenant cannot be backed up now: another
 * operation holds it, or the tenant left the statuses backed up since it was listed.
 */
export function holdForBackup(platform: ControlPlane, tenant: TenantRecord): { lock: FileLock } | { refusal: string } {
  const lock = tryTenantLock(platform.config.dataDir, tenant.id);
  if (!lock) return { refusal: `another operation (an archive, purge, rename, restore or backup) holds tenant ${tenant.slug} right now; not backed up` };
  const current = platform.tenants.findById(tenant.id);
  if (current && (BACKED_UP as readonly string[]).includes(current.status)) return { lock };
  lock.release({ remove: true });
  return { refusal: `tenant ${tenant.slug} is ${current ? statusWords(current.status) : 'gone'} now; only active and suspended tenants are backed up` };
}

/** The locks of the tenants a backup names, all or none: a tenant held by another operation is a 409 with the reason. */
export function holdNamedForBackup(platform: ControlPlane, tenants: TenantRecord[]): () => void {
  const locks: FileLock[] = [];
  const release = () => locks.forEach((lock) => lock.release({ remove: true }));
  for (const tenant of tenants) {
    const held = holdForBackup(platform, tenant);
    if ('lock' in held) {
      locks.push(held.lock);
      continue;
    }
    release();
    throw new ConflictError(`${capitalised(held.refusal)}. Try again once it has ended.`, { tenantId: tenant.id });
  }
  return release;
}

/**
 * A restore from a backup holds the tenant's operation lock too, from the claim of its restore
 * folder to its end: it never starts under a backup, an archive or a rename (a 409, its just
 * claimed folder given back empty), and none of them starts under it.
 */
export function holdForRestore(platform: ControlPlane, tenant: TenantRecord, work: string): () => void {
  const lock = tryTenantLock(platform.config.dataDir, tenant.id);
  if (lock) return () => lock.release({ remove: true });
  fs.rmdirSync(work); // made empty by this restore's claim a moment ago
  throw new ConflictError(
    `Another operation (an archive, rename or backup) holds tenant ${tenant.slug} right now; nothing was restored. Try again once it has ended.`,
    {
      tenantId: tenant.id,
    },
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
