import BetterSqlite3 from 'better-sqlite3';
import type { ControlPlane } from '../control-plane';
import { ConflictError, OperationFailedError } from '../../core/errors/app-errors';
import { isBusyError } from '../../core/db/busy-retry';
import type { TenantRecord, TenantStatus } from '../tenants/tenant-record';

/**
 * Takes a tenant offline for an operation that swaps its data: `maintenance`, written in one
 * transaction with its audit record and only from a status the operation accepts. Every process
 * notices (this one through the change feed at once, a server elsewhere through the control
 * plane's data_version within a second): members get a 503 with Retry-After, open handles close.
 */
export function takeOffline(platform: ControlPlane, tenantId: string, from: readonly TenantStatus[], action: string, actorUserId: string | null): TenantRecord {
  return platform.db.write(() => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant) throw new ConflictError('The tenant is gone.');
    if (!from.includes(tenant.status)) throw new ConflictError(`Tenant ${tenant.slug} is ${tenant.status}; it cannot be taken offline for this now.`);
    platform.tenants.update(tenant.id, { status: 'maintenance' });
    platform.audit.record({
      action,
      actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: { status: tenant.status },
      after: { status: 'maintenance' },
    });
    return tenant;
  });
}

/** Brings a tenant back from maintenance (when it is still in maintenance), with its audit record. */
export function bringBack(
  platform: ControlPlane,
  tenantId: string,
  to: TenantStatus,
  audit: { action: string; actorUserId: string | null; after?: Record<string, unknown> },
  schemaVersion?: string | null,
): void {
  platform.db.write(() => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant || tenant.status !== 'maintenance') return;
    platform.tenants.update(tenant.id, { status: to, ...(schemaVersion === undefined ? {} : { schema_version: schemaVersion }) });
    platform.audit.record({
      action: audit.action,
      actorUserId: audit.actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: { status: 'maintenance' },
      after: { status: to, ...audit.after },
    });
  });
}

/**
 * Waits until no connection of any process has the database open: an exclusive lock on the file
 * can be taken only then (every WAL connection holds a shared lock while it is open). A file
 * that is missing or not a database has no users to wait for.
 */
export async function waitUntilUnused(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new BetterSqlite3(file, { fileMustExist: true });
      db.pragma('busy_timeout = 100');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
      return;
    } catch (error) {
      if (!isBusyError(error)) return;
      if (Date.now() >= deadline) {
        throw new OperationFailedError(
          'The tenant database is still open in another process (a long request, a running command or an older server); nothing was changed. Try again.',
        );
      }
    } finally {
      db?.close();
    }
    // Yield: in this process, requests holding the handle finish and release it meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
