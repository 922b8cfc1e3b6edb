import BetterSqlite3 from 'better-sqlite3';
import type { ControlPlane } from '../control-plane';
import { OperationFailedError } from '../../core/errors/app-errors';
import { isBusyError } from '../../core/db/busy-retry';
import type { SettingsCopy, TenantRecord } from '../tenants/tenant-record';
import { applyTransition, type TransitionInput } from '../lifecycle/apply-transition';
import { TenantStatusHistory } from '../lifecycle/tenant-status-history';
import type { Operator } from '../lifecycle/operator';
import type { TenantMigration } from '../fleet/migrate-one-tenant';
import { recordMigratedVersion } from '../fleet/record-migrated-version';
import { deadlineIn } from '../../core/time/monotonic-deadline';

/** The client and API token of the request an operation was asked for (none for the console's older journals and the CLI): each record of the operation names them (decision 023). */
export type OperatorClient = Pick<TransitionInput, 'ip' | 'userAgent' | 'apiTokenId'>;

/**
 * Takes a tenant offline for an operation that swaps its data: the `take-offline` step of the
 * transition table (control-plane/lifecycle/tenant-transitions.ts), to `maintenance`, with its
 * status history and audit record, and only from a status the table lists (an archived or purged
 * tenant is refused). Every process notices (this one through the change feed at once, a server
 * elsewhere through the control plane's data_version within a second): members get a 503 with
 * Retry-After, open handles close.
 */
export function takeOffline(
  platform: ControlPlane,
  tenantId: string,
  step: { actorUserId: string | null; reason: string; auditAction: string; auditDetails?: Record<string, unknown> } & OperatorClient,
): TenantRecord {
  return applyTransition(platform, tenantId, 'take-offline', { by: 'system', ...step });
}

/**
 * Brings a tenant back from maintenance (when it is still in maintenance) through the table's
 * `bring-back` step: to the status it had, a suspension with its reason and end date, a damage
 * with its finding. When its data was replaced (`replaced`: a restore that committed), a damaged
 * tenant is recovered too, in the same transaction: its data is now a verified backup's, and the
 * control plane's copies of its settings (display name, language) become the new file's (`copies`,
 * read from it before), whatever the status it returns to (a suspended workspace is not opened by
 * the router to read them); without them they are forgotten (read from the file on its next
 * open). The replaced data's migration up to the code (`migrated`: from the
 * version it was at) is recorded in the same transaction, as the fleet migration records its own
 * (recordMigratedVersion: the new version, and `tenant.migrated` when it moved).
 */
export function bringBack(
  platform: ControlPlane,
  tenantId: string,
  step: {
    actorUserId: string | null;
    auditAction: string;
    auditDetails?: Record<string, unknown>;
    replaced: boolean;
    copies?: SettingsCopy;
    client?: OperatorClient;
  },
  migrated?: { from: string | null; result: TenantMigration; operator: Operator },
): void {
  platform.db.write(() => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant || tenant.status !== 'maintenance') return;
    const history = new TenantStatusHistory(platform.db);
    const previous = history.statusBefore(tenantId, 'maintenance');
    const entered = previous ? history.lastInto(tenantId, previous) : undefined;
    const back = applyTransition(platform, tenantId, 'bring-back', {
      actorUserId: step.actorUserId,
      ...step.client,
      by: 'system',
      reason: previous === 'suspended' ? (entered?.reason ?? null) : null,
      until: previous === 'suspended' ? (entered?.until ?? null) : null,
      failure: previous === 'damaged' ? (entered?.reason ?? null) : null,
      auditAction: step.auditAction,
      auditDetails: step.auditDetails,
    });
    if (migrated) recordMigratedVersion(platform, tenantId, migrated.result, migrated.operator, { schemaVersion: migrated.from });
    // The data replaced may hold another name and language: the new file's, or read from it on its next open.
    if (step.replaced) platform.tenants.keepSettingsCopies(tenantId, step.copies ?? null);
    if (step.replaced && back.status === 'damaged')
      applyTransition(platform, tenantId, 'recover', {
        actorUserId: step.actorUserId,
        ...step.client,
        by: 'system',
        reason: 'its data was restored from a verified backup',
      });
  });
}

/**
 * Waits until no connection of any process has the database open: an exclusive lock on the file
 * can be taken only then (every WAL connection holds a shared lock while it is open). A file
 * that is missing or not a database has no users to wait for.
 */
export async function waitUntilUnused(file: string, timeoutMs: number): Promise<void> {
  const deadline = deadlineIn(timeoutMs);
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
      if (deadline.passed()) {
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
