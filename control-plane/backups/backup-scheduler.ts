import { Cron } from 'croner';
import type { ControlPlane } from '../control-plane';
import { backupFleet, type BackupFleetResult } from './backup-fleet';
import { serverTimeZone } from '../../core/time/zone-names';

/** When BACKUP_SCHEDULE next fires (null: no schedule, or it never fires again). */
export function nextScheduledBackup(schedule: string | undefined, after = new Date()): Date | null {
  if (!schedule) return null;
  const cron = new Cron(schedule, { paused: true });
  try {
    return cron.nextRun(after);
  } finally {
    cron.stop();
  }
}

/**
 * The server's scheduled backups (BACKUP_SCHEDULE, cron syntax, read by croner in
 * the server's time zone, which the pages and the CLI name beside it: serverTimeZone). Each run visits
 * every active and suspended tenant, backs up those whose files changed since their last backup
 * (on a worker thread, so requests keep being answered), then applies the retention policy. A damaged
 * tenant is skipped and recorded as its failed backup (the fleet page shows it). A run
 * still going when the next one is due makes that one skip (croner's overrun protection).
 * Stopping (the server shutting down) starts no further tenant: it waits only for the backups
 * under way, not for the rest of the fleet, which the next run visits.
 */
export class BackupScheduler {
  private cron?: Cron;
  private running?: Promise<BackupFleetResult | undefined>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly platform: ControlPlane,
    private readonly schedule: string,
  ) {}

  start(): this {
    this.cron = new Cron(this.schedule, { protect: true, name: 'tenant-backups' }, async () => {
      await this.runOnce();
    });
    this.platform.logger.info(
      { schedule: this.schedule, timeZone: serverTimeZone(), next: this.cron.nextRun()?.toISOString() ?? null },
      'scheduled backups on',
    );
    return this;
  }

  /** One scheduled run now (the schedule calls this; tests too). Failures are logged, never thrown. */
  runOnce(): Promise<BackupFleetResult | undefined> {
    const run = backupFleet(this.platform, {
      trigger: 'schedule',
      kind: 'scheduled',
      onlyChanged: true,
      prune: true,
      useWorkers: true,
      signal: this.stopping.signal,
    }).then(
      (result) => {
        const summary = {
          runId: result.runId,
          backedUp: result.backedUp,
          unchanged: result.unchanged,
          failed: result.failed.length,
          skipped: result.skipped.length,
          pruneFailed: result.pruneFailed.length,
          bytes: result.bytes,
        };
        if (result.failed.length || result.skipped.length || result.pruneFailed.length)
          this.platform.logger.warn(
            {
              ...summary,
              failedTenants: result.failed.map((f) => f.slug),
              skippedTenants: result.skipped.map((f) => f.slug),
              pruneFailedTenants: result.pruneFailed.map((f) => f.slug),
            },
            'scheduled backups finished with failures',
          );
        else this.platform.logger.info(summary, 'scheduled backups finished');
        return result;
      },
      (error: unknown) => {
        this.platform.logger.error({ err: error }, 'scheduled backups could not run');
        return undefined;
      },
    );
    this.running = run;
    return run;
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    this.stopping.abort();
    await this.running;
  }
}
