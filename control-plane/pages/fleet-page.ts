import type { ControlPlane } from '../control-plane';
import { formatBytes } from '../../core/cli/cli-io';
import { utcTime } from './utc-time';
import { diskSpaces } from '../backups/disk-report';
import { describeFileSystem, fileSystemOf, type FileSystemInfo } from '../../core/fs/file-system-of';
import { fileSystemAdvice } from '../doctor/file-system-advice';
import { BackupStateRepository, backupFailureOf, pruneFailureOf, type BackupStateRow } from '../backups/backup-state';
import { nextScheduledBackup } from '../backups/backup-scheduler';
import { lastOutcomeByTenant, recentFleetRuns, type LastTenantOutcome } from '../fleet/fleet-history';
import type { TenantRecord } from '../tenants/tenant-record';

/** Tenants listed on the fleet page at most (the ones needing attention first). */
export const FLEET_PAGE_ROWS = 500;
/** A backup older than this is reported as stale. */
const STALE_BACKUP_MS = 2 * 24 * 3600_000;

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

/**
 * Everything /admin/fleet shows: disks and DATA_DIR's file system (read from the system unless
 * another reader is given), each tenant's migration and backup state, recent runs.
 */
export function loadFleetPage(platform: ControlPlane, now = Date.now(), readFileSystem: (dir: string) => FileSystemInfo | undefined = fileSystemOf) {
  const fileSystem = readFileSystem(platform.config.dataDir);
  const latest = platform.tenantSource.latest;
  const lastRuns = lastOutcomeByTenant(platform.db);
  const backups = new BackupStateRepository(platform.db);
  const backupByTenant = new Map(backups.all().map((row) => [row.tenant_id, row]));
  const live = platform.tenants.listByStatus(['active', 'suspended', 'maintenance', 'damaged']);
  const rows: FleetTenantRow[] = live.map((tenant) => {
    const lastRun = lastRuns.get(tenant.id);
    const behind = tenant.schema_version !== latest;
    const migration: MigrationState = !behind ? 'current' : lastRun?.outcome === 'failed' ? 'failed' : 'behind';
    const backup = backupByTenant.get(tenant.id);
    const backupStale = !backup?.last_backup_at || now - backup.last_backup_at > STALE_BACKUP_MS;
    const damaged = tenant.status === 'damaged';
    const backupError = backupFailureOf(backup);
    const pruneError = pruneFailureOf(backup);
    const attention = damaged || migration !== 'current' || Boolean(backupError || pruneError) || backupStale;
    return { tenant, migration, lastRun, backup, backupError, pruneError, backupStale, attention };
  });
  rows.sort((a, b) => Number(b.attention) - Number(a.attention) || a.tenant.slug.localeCompare(b.tenant.slug));
  const count = (state: MigrationState) => rows.filter((r) => r.migration === state).length;
  return {
    title: 'Fleet',
    size: formatBytes,
    when: utcTime,
    latest,
    disks: diskSpaces(platform.config),
    fileSystem: fileSystem ? describeFileSystem(fileSystem) : undefined,
    fileSystemAdvice: fileSystemAdvice(fileSystem),
    migration: { current: count('current'), behind: count('behind'), failed: count('failed') },
    /** Tenants whose file was found broken: their members get a 503 until someone repairs or restores it. */
    damaged: rows.filter((r) => r.tenant.status === 'damaged').length,
    backupProblems: rows.filter((r) => r.backupError).length,
    /** Tenants backed up whose older backups could not then be removed (their backup folder keeps growing). */
    pruneProblems: rows.filter((r) => r.pruneError).length,
    staleBackups: rows.filter((r) => r.backupStale).length,
    rows: rows.slice(0, FLEET_PAGE_ROWS),
    total: rows.length,
    fleetRuns: recentFleetRuns(platform.db),
    backupRuns: backups.recentRuns(),
    schedule: platform.config.backupSchedule ?? null,
    nextBackup: nextScheduledBackup(platform.config.backupSchedule),
    keep: platform.config.backupKeep,
    backupDir: platform.config.backupDir,
    router: platform.router.stats(),
  };
}
