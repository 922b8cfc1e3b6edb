import { PeriodicPass } from '../../core/jobs/periodic-pass';
import type { ControlPlane } from '../control-plane';
import { INTERRUPTED_WORK_CHECKS, runDoctor } from '../doctor/run-doctor';
import { sampleDiskUsage } from './disk-usage';
import { IN_FLIGHT_MS } from '../events/tenant-events';

export interface LifecycleSweepOptions {
  /** How often statuses whose date has come are ended (suspensions lifted, archives purged). */
  intervalMs?: number;
  /** How often the data on disk is measured for the dashboard's growth figures. */
  diskSampleEveryMs?: number;
}

/**
 * The server's lifecycle timer: every minute, suspensions whose end date has come resume,
 * archives past their window are purged, work a crash cut off (provisioning, archive,
 * restore, purge) is finished and member and invitation events that waited for their tenant (in
 * maintenance, or damaged) are queued for its webhooks once it is back; every hour the data on disk is sampled. Unref'd: it never keeps
 * the process alive. A pass still running is joined, never overlapped.
 */
export class LifecycleSweep extends PeriodicPass<void> {
  /** When the data on disk was last sampled, on the monotonic clock: a clock set back stops no sampling. */
  private lastSample: number | undefined;
  private readonly diskSampleEveryMs: number;

  constructor(
    private readonly platform: ControlPlane,
    options: LifecycleSweepOptions = {},
  ) {
    super(options.intervalMs ?? 60_000);
    this.diskSampleEveryMs = options.diskSampleEveryMs ?? 3600_000;
  }

  protected async pass(): Promise<void> {
    const { platform } = this;
    try {
      const report = await runDoctor({ platform, fix: true, deep: false }, INTERRUPTED_WORK_CHECKS);
      for (const f of report.findings) platform.logger.info({ check: f.check, subject: f.subject, fix: f.fix, error: f.error }, 'lifecycle sweep');
      const events = platform.tenantEvents.handOnLeft(Date.now() - IN_FLIGHT_MS);
      if (events.length) platform.logger.info({ events: events.length }, 'lifecycle sweep: tenant events that waited handed to the webhooks');
      if (this.lastSample === undefined || performance.now() - this.lastSample >= this.diskSampleEveryMs) {
        this.lastSample = performance.now();
        await sampleDiskUsage(platform.config.dataDir, platform.db);
      }
    } catch (err) {
      platform.logger.error({ err }, 'lifecycle sweep failed');
    }
  }
}
