import { z } from 'zod';
import { digitsField } from '../../core/http/url-id';
import type { ControlPlane } from '../control-plane';
import { BackupStateRepository, backupFailureOf, pruneFailureOf, type BackupStateRow } from '../backups/backup-state';
import { recentFleetRuns, type LastTenantOutcome } from '../fleet/fleet-history';
import { fleetTenantPage, STALE_BACKUP_MS } from '../fleet/fleet-tenant-states';
import type { TenantRecord } from '../tenants/tenant-record';
import { loadFleetStatus, type FleetStatusOptions } from './fleet-status';

/** Tenants listed on a page of the fleet page (the ones needing attention first). */
export const FLEET_PAGE_ROWS = 500;

export type MigrationState = 'current' | 'behind' | 'failed';

export interface FleetTenantRow {
  tenant: TenantRecord;
  migration: MigrationState;
  lastRun?: LastTenantOutcome;
  backup?: BackupStateRow;
  /** Why the last backup failed. */
  backupError?: string;
  /** The last backup was kept, but removing older backups after it failed: why. */
  pruneError?: string;
  backupStale: boolean;
  /** Something an operator should look at: damaged, behind, a failed migration, a failed or stale backup, a failed prune. */
  attention: boolean;
}

export interface FleetPageOptions extends FleetStatusOptions {
  /** Which page of tenants (from 1; past the last, the last). */
  page?: number;
  pageSize?: number;
}

/** `?page=` of /admin/fleet: a bad value is a 400 naming it. */
export const fleetPageSchema = z.object({
  page: z.preprocess(
    (v) => (v === '' ? undefined : v),
    digitsField(z.number({ error: 'must be a page number' }).int({ error: 'must be a page number' }).min(1).max(1_000_000).default(1)),
  ),
});

/**
 * Everything /admin/fleet shows: the fleet's status in counts (fleet-status.ts), one page of
 * tenants with their migration and backup state (read for that page's tenants only), recent runs.
 */
export function loadFleetPage(platform: ControlPlane, options: FleetPageOptions = {}) {
  const { now = Date.now(), pageSize = FLEET_PAGE_ROWS } = options;
  const status = loadFleetStatus(platform, { now, readFileSystem: options.readFileSystem });
  const { latest } = status;
  const pages = Math.max(1, Math.ceil(status.total / pageSize));
  const page = Math.min(options.page ?? 1, pages);
  const rows: FleetTenantRow[] = fleetTenantPage(platform.db, latest, now, page, pageSize).map(({ tenant, backup, lastRun, attention }) => {
    const behind = tenant.schema_version !== latest;
    const migration: MigrationState = !behind ? 'current' : lastRun?.outcome === 'failed' ? 'failed' : 'behind';
    const backupStale = !backup?.last_backup_at || now - backup.last_backup_at > STALE_BACKUP_MS;
    return { tenant, migration, lastRun, backup, backupError: backupFailureOf(backup), pruneError: pruneFailureOf(backup), backupStale, attention };
  });
  const href = (n: number) => (n === 1 ? '/admin/fleet' : `/admin/fleet?page=${n}`);
  const backups = new BackupStateRepository(platform.db);
  return {
    title: 'Fleet',
    ...status,
    rows,
    page,
    pages,
    /** The first row's place in the whole list (1-based). */
    first: (page - 1) * pageSize + 1,
    prevHref: page > 1 ? href(page - 1) : undefined,
    nextHref: page < pages ? href(page + 1) : undefined,
    fleetRuns: recentFleetRuns(platform.db),
    backupRuns: backups.recentRuns(),
    keep: platform.config.backupKeep,
    backupDir: platform.config.backupDir,
    router: platform.router.stats(),
  };
}
