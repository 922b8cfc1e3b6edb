import type { MigrationSource } from '../../core/db/migration-runner';
import { TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';
import { printable } from '../../core/cli/cli-io';
import { FileLock } from '../../core/process/file-lock';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { tenantLockFile } from '../lifecycle/tenant-lock';
import { recountItemStatuses, statusCountDrift, type StatusCountDrift } from '../tenants/item-status-counts';
import type { TenantRecord } from '../tenants/tenant-record';
import { tryFix, type DoctorCheck, type Finding } from './finding';

/** Statuses a finding names; the rest are counted ("and N more"): a finding stays one short line. */
const NAMED = 5;

const described = (drift: StatusCountDrift[]) =>
  drift
    .slice(0, NAMED)
    .map((d) => `${printable(d.status).slice(0, 20)}: ${d.kept} counted, ${d.items} there`)
    .join('; ')
    .concat(drift.length > NAMED ? `; and ${drift.length - NAMED} more` : '');

/**
 * The counts of items by status the dashboard shows (decision 057) against the items, in every
 * live tenant: one grouped count of the status index per tenant, here and never on a request.
 * Counts that differ (a file changed by hand, or by a tool that bypassed the triggers) are
 * counted again with --fix, in one IMMEDIATE write that reads the items under the lock. A tenant
 * being restored, cloned or imported (its lock held) is left to that work; a file that cannot be
 * served now (damaged, behind) is the files check's to report.
 */
export const itemCountsCheck: DoctorCheck = async ({ platform, fix }) => {
  const findings: Finding[] = [];
  for (const tenant of platform.tenants.listByStatus(['active', 'suspended']).filter((t) => !t.pending_operation)) {
    if (FileLock.isHeld(tenantLockFile(platform.config.dataDir, tenant.id))) continue;
    const finding = withServedFile(platform.config.dataDir, tenant, platform.tenantSource, (db) => {
      const drift = statusCountDrift(db);
      if (!drift.length) return undefined;
      const found: Finding = {
        check: 'item-counts',
        subject: tenant.slug,
        problem: `its counts of items by status differ from its items (${described(drift)})`,
        fix: 'count its items again',
        needsHuman: false,
      };
      return fix ? tryFix(found, () => recountItemStatuses(db)) : found;
    });
    if (finding) findings.push(finding);
  }
  return findings;
};

/** Runs fn on the tenant's file opened on its own (not through the router), or answers undefined when it cannot be served now. */
function withServedFile<T>(dataDir: string, tenant: TenantRecord, source: MigrationSource, fn: (db: TenantDatabase) => T): T | undefined {
  let db: TenantDatabase;
  try {
    db = openTenantFile(dataDir, tenant.id, 'serve', { source });
  } catch (error) {
    if (error instanceof TenantUnavailableError) return undefined;
    throw error;
  }
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
