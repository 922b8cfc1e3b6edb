import type { MigrationSource } from '../../core/db/migration-runner';
import { TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';
import { printable } from '../../core/cli/cli-io';
import { FileLock } from '../../core/process/file-lock';
import { openTenantFile, servable } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { tenantLockFile } from '../lifecycle/tenant-lock';
import { recountItemStatuses, statusCountDrift, type StatusCountDrift } from '../tenants/item-status-counts';
import type { TenantRecord } from '../tenants/tenant-record';
import { tryFix, type DoctorCheck, type DoctorContext, type Finding } from './finding';

/** Statuses a finding names; the rest are counted ("and N more"): a finding stays one short line. */
const NAMED = 5;

const described = (drift: StatusCountDrift[]) =>
  drift
    .slice(0, NAMED)
    .map((d) => `${printable(d.status).slice(0, 20)}: ${d.kept} counted, ${d.items} there`)
    .join('; ')
    .concat(drift.length > NAMED ? `; and ${drift.length - NAMED} more` : '');

/** One tenant's finding, if its counts differ from its items; with --fix, counted again. */
function countFindings(db: TenantDatabase, tenant: TenantRecord, fix: boolean): Finding[] {
  const drift = statusCountDrift(db);
  if (!drift.length) return [];
  const found: Finding = {
    check: 'item-counts',
    subject: tenant.slug,
    problem: `its counts of items by status differ from its items (${described(drift)})`,
    fix: 'count its items again',
    needsHuman: false,
  };
  return [fix ? tryFix(found, () => recountItemStatuses(db)) : found];
}

/** A tenant this check reads now: live, no operation under way, its lock free. */
const readable = (dataDir: string, tenant: TenantRecord) =>
  (tenant.status === 'active' || tenant.status === 'suspended') && !tenant.pending_operation && !FileLock.isHeld(tenantLockFile(dataDir, tenant.id));

/**
 * The counts of items by status the dashboard shows (decision 057) against the items, in every
 * live tenant: one grouped count of the status index per tenant, here and never on a request,
 * read while the files check has the file open (ctx.itemCounts) so no file is opened twice.
 * Counts that differ (a file changed by hand, or by a tool that bypassed the triggers) are
 * counted again with --fix, in one IMMEDIATE write that reads the items under the lock. A tenant
 * being restored, cloned or imported (its lock held) is left to that work; a file that cannot be
 * served now (damaged, behind) is the files check's to report.
 */
export const itemCountsCheck: DoctorCheck = async ({ platform, fix, itemCounts }) => {
  const findings: Finding[] = [];
  for (const tenant of platform.tenants.listByStatus(['active', 'suspended'])) {
    const read = itemCounts?.get(tenant.id);
    if (read) findings.push(...read);
    else if (readable(platform.config.dataDir, tenant))
      findings.push(...(withServedFile(platform.config.dataDir, tenant, platform.tenantSource, (db) => countFindings(db, tenant, fix)) ?? []));
  }
  return findings;
};

/** For the files check, which opens each file already: what reads this check's findings for a tenant while its sound file is open, or undefined. */
export function itemCountsReader(ctx: DoctorContext, tenant: TenantRecord): ((db: TenantDatabase) => void) | undefined {
  const { platform, fix, itemCounts } = ctx;
  if (!itemCounts || !readable(platform.config.dataDir, tenant)) return undefined;
  return (db) => itemCounts.set(tenant.id, servable(db, platform.tenantSource) ? countFindings(db, tenant, fix) : []);
}

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
