import { PeriodicPass } from '../../core/jobs/periodic-pass';
import { rollUpUsage, type RollupDeps, type RollupSummary } from './roll-up-usage';

export interface RollupPassOptions {
  /** How often the roll-up runs; a minute by default (alerts reach owners within a minute or so). */
  intervalMs?: number;
  /** Files opened per pass at most, so one pass never holds the event loop for long. */
  maxOpens?: number;
  /** Tenants recomputed per pass at most (after midnight every tenant's day has changed). */
  maxRecomputes?: number;
}

/**
 * The server's usage roll-up timer (control-plane/usage/roll-up-usage.ts): a pass a minute,
 * never two at once in this process; another process (the CLI) may run one at the same time,
 * which the stamps and the alerts' unique key make harmless.
 */
export class UsageRollupPass extends PeriodicPass<RollupSummary | undefined> {
  private readonly maxOpens: number;
  private readonly maxRecomputes: number;

  constructor(
    private readonly deps: RollupDeps,
    options: RollupPassOptions = {},
  ) {
    super(options.intervalMs ?? 60_000);
    this.maxOpens = options.maxOpens ?? 500;
    this.maxRecomputes = options.maxRecomputes ?? 2000;
  }

  protected async pass(): Promise<RollupSummary | undefined> {
    const { logger } = this.deps.platform;
    try {
      const summary = await rollUpUsage(this.deps, { maxOpens: this.maxOpens, maxRecomputes: this.maxRecomputes });
      if (summary.opened || summary.alerts.length || summary.alertMailsResent || summary.failed.length)
        logger.info(
          {
            opened: summary.opened,
            recomputed: summary.recomputed,
            deferred: summary.deferred,
            alerts: summary.alerts.length,
            alertMailsResent: summary.alertMailsResent,
            failed: summary.failed,
          },
          'usage roll-up',
        );
      return summary;
    } catch (err) {
      logger.error({ err }, 'usage roll-up failed');
      return undefined;
    }
  }
}
