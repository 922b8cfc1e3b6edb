import type { WorkspaceServices } from '../workspace-services';
import { publishDueItems, type PublishOutcome } from './publish-due-items';

export interface SchedulerOptions {
  intervalMs?: number;
  /** Tenants visited per tick at most; the rest wait for the next tick. */
  batchSize?: number;
  now?: () => number;
}

/**
 * The background loop that publishes scheduled items. Each tick reads the control plane's
 * per-tenant hints and visits only tenants with something due, one at a time (each visit a
 * job carrying its tenant id). The timer is unref'd: it never keeps the process alive.
 */
export class PublishScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PublishOutcome[]> | undefined;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  constructor(
    private readonly platform: WorkspaceServices,
    options: SchedulerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.batchSize = options.batchSize ?? 200;
    this.now = options.now ?? Date.now;
  }

  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Stops the timer and waits for a tick in progress to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; a tick still running is joined rather than overlapped. */
  tick(): Promise<PublishOutcome[]> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<PublishOutcome[]> {
    const now = this.now();
    const outcomes: PublishOutcome[] = [];
    for (const tenantId of this.platform.scheduleHints.due(now, this.batchSize)) {
      try {
        const outcome = await publishDueItems(this.platform, { tenantId, now });
        if ('published' in outcome && outcome.published.length) this.platform.logger.info({ tenantId, items: outcome.published }, 'published scheduled items');
        outcomes.push(outcome);
      } catch (err) {
        // One tenant failing (file missing, being upgraded) never stops the others.
        this.platform.logger.warn({ err, tenantId }, 'scheduled publishing failed for a tenant');
      }
    }
    return outcomes;
  }
}
