import { PeriodicPass } from '../../core/jobs/periodic-pass';
import { visitInTurn } from '../../core/jobs/event-loop-turn';
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
 * job carrying its tenant id), the event loop running between two visits (each is a write
 * transaction in the tenant's file, and nothing in a visit waits for I/O: without the turns a
 * pass over a few hundred due tenants would hold every request for its whole length). The timer
 * is unref'd: it never keeps the process alive.
 */
export class PublishScheduler extends PeriodicPass<PublishOutcome[]> {
  private readonly batchSize: number;
  private readonly now: () => number;
  constructor(
    private readonly platform: WorkspaceServices,
    options: SchedulerOptions = {},
  ) {
    super(options.intervalMs ?? 30_000);
    this.batchSize = options.batchSize ?? 200;
    this.now = options.now ?? Date.now;
  }

  protected async pass(): Promise<PublishOutcome[]> {
    const now = this.now();
    return visitInTurn(
      this.platform.scheduleHints.due(now, this.batchSize),
      async (tenantId) => {
        const outcome = await publishDueItems(this.platform, { tenantId, now });
        if ('published' in outcome && outcome.published.length) this.platform.logger.info({ tenantId, items: outcome.published }, 'published scheduled items');
        return outcome;
      },
      // One tenant failing (file missing, being upgraded) never stops the others.
      (err, tenantId) => this.platform.logger.warn({ err, tenantId }, 'scheduled publishing failed for a tenant'),
    );
  }
}
