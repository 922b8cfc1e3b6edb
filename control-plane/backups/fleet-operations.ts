import type { ControlPlane } from '../control-plane';
import { BackupScheduler } from './backup-scheduler';

export interface FleetOperations {
  scheduler?: BackupScheduler;
  stop(): Promise<void>;
}

/** How often an idle server looks for control-plane changes another process made. */
const OUTSIDE_CHANGES_EVERY_MS = 1000;

/**
 * What a server runs beside its requests for backups and restores: it notices within a second
 * when another process (the CLI) takes a tenant offline even when no request comes in (so its
 * open handle is drained), and runs the backup schedule when BACKUP_SCHEDULE is set. Operations
 * a crash or a kill cut off were resolved before, with every other interrupted work, by
 * control-plane/doctor/run-doctor.ts: repairInterruptedWork.
 */
export function startFleetOperations(platform: ControlPlane): FleetOperations {
  const watch = setInterval(() => platform.access.noticeOutsideChanges(), OUTSIDE_CHANGES_EVERY_MS);
  watch.unref();
  const schedule = platform.config.backupSchedule;
  const scheduler = schedule ? new BackupScheduler(platform, schedule).start() : undefined;
  return {
    scheduler,
    async stop() {
      clearInterval(watch);
      await scheduler?.stop();
    },
  };
}
