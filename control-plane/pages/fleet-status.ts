import type { ControlPlane } from '../control-plane';
import { diskSpaces } from '../backups/disk-report';
import { describeFileSystem, fileSystemOf, type FileSystemInfo } from '../../core/fs/file-system-of';
import { fileSystemAdvice } from '../doctor/file-system-advice';
import { nextScheduledBackup } from '../backups/backup-scheduler';
import { serverTimeZone } from '../../core/time/zone-names';
import { fleetCounts } from '../fleet/fleet-tenant-states';

export interface FleetStatusOptions {
  now?: number;
  /** Reads DATA_DIR's file system (the system's, unless another reader is given). */
  readFileSystem?: (dir: string) => FileSystemInfo | undefined;
}

/**
 * The fleet in counts, as `tenantry tenants fleet-status` prints it and /admin/fleet heads its
 * page: disks and DATA_DIR's file system, the migration and backup counts (one grouped query,
 * no row per tenant), the backup schedule.
 */
export function loadFleetStatus(platform: ControlPlane, options: FleetStatusOptions = {}) {
  const { now = Date.now(), readFileSystem = fileSystemOf } = options;
  const fileSystem = readFileSystem(platform.config.dataDir);
  const latest = platform.tenantSource.latest;
  const counts = fleetCounts(platform.db, latest, now);
  return {
    latest,
    disks: diskSpaces(platform.config),
    fileSystem: fileSystem ? describeFileSystem(fileSystem) : undefined,
    fileSystemAdvice: fileSystemAdvice(fileSystem),
    migration: { current: counts.current, behind: counts.behind, failed: counts.failed },
    /** Tenants whose file was found broken: their members get a 503 until someone repairs or restores it. */
    damaged: counts.damaged,
    backupProblems: counts.backupProblems,
    /** Tenants backed up whose older backups could not then be removed (their backup folder keeps growing). */
    pruneProblems: counts.pruneProblems,
    staleBackups: counts.staleBackups,
    /** Live tenants. */
    total: counts.total,
    schedule: platform.config.backupSchedule ?? null,
    /** The zone the schedule is read in (the server's). */
    scheduleZone: serverTimeZone(),
    nextBackup: nextScheduledBackup(platform.config.backupSchedule),
  };
}
