import { PeriodicPass } from '../../core/jobs/periodic-pass';
import { visitInTurn } from '../../core/jobs/event-loop-turn';
import { msg } from '../../core/i18n/message';
import type { Language } from '../../core/i18n/languages';
import { SecretBox } from '../../core/crypto/secret-box';
import type { WorkspaceServices } from '../workspace-services';
import { DEFAULT_DELIVERY_POLICY, deliverDue, type DeliveryOutcome, type DeliveryPolicy } from './deliver-due';

export interface DispatcherOptions {
  intervalMs?: number;
  /** Tenants visited per tick at most. */
  batchSize?: number;
  policy?: Partial<DeliveryPolicy>;
  now?: () => number;
}

/**
 * The background loop that sends webhook deliveries, like the publishing scheduler: each tick
 * reads the control plane's per-tenant hints (webhook_schedule) and visits only tenants with a
 * delivery due, one at a time, the event loop running between two visits (a visit whose
 * deliveries are all passed over sends nothing and awaits no I/O). The queue is the tenants' own rows, so a restart picks up where
 * the last process stopped. Endpoints disabled on the way are reported to the tenant's owners.
 */
export class WebhookDispatcher extends PeriodicPass<DeliveryOutcome[]> {
  private readonly policy: DeliveryPolicy;
  private readonly box: SecretBox;

  constructor(
    private readonly services: WorkspaceServices,
    private readonly options: DispatcherOptions = {},
  ) {
    super(options.intervalMs ?? 5_000);
    this.policy = { ...DEFAULT_DELIVERY_POLICY, allowPrivate: services.config.webhooksAllowPrivate, ...options.policy };
    this.box = new SecretBox(services.config.secretsKey);
  }

  protected async pass(): Promise<DeliveryOutcome[]> {
    const now = (this.options.now ?? Date.now)();
    const failed = (err: unknown, tenantId: string) => this.services.logger.warn({ err, tenantId }, 'webhook deliveries failed for a tenant');
    return visitInTurn(
      this.services.webhookHints.due(now, this.options.batchSize ?? 100),
      async (tenantId) => {
        const outcome = await deliverDue(this.services, this.box, tenantId, this.policy, now);
        // The visit's outcome stands even when telling the owners fails.
        if ('disabled' in outcome) await this.reportDisabled(tenantId, outcome).catch((err: unknown) => failed(err, tenantId));
        return outcome;
      },
      failed,
    );
  }

  /** Tells the tenant's owners of each endpoint the visit disabled. */
  private async reportDisabled(tenantId: string, outcome: Extract<DeliveryOutcome, { disabled: unknown }>): Promise<void> {
    for (const endpoint of outcome.disabled) await this.reportOne(tenantId, endpoint.url, outcome.workspace);
  }

  private async reportOne(tenantId: string, url: string, { name: workspace, language }: { name: string; language: Language }): Promise<void> {
    const origin = new URL(url).origin;
    this.services.logger.warn({ tenantId, endpoint: origin }, 'webhook endpoint disabled after repeated failures');
    await this.services.owners.notifyOwners(tenantId, language, {
      subject: msg('Webhook disabled in {{workspace}}', { workspace }),
      lines: [
        msg('The webhook endpoint {{url}} of {{workspace}} was disabled: its last {{count}} deliveries failed after every retry.', {
          url,
          workspace,
          count: this.policy.disableAfter,
        }),
        msg(
          "Its pending deliveries are kept. Once the receiver works again, enable the endpoint on the workspace's Webhooks page; the pending deliveries then go out and failed ones can be sent again from the delivery log.",
        ),
      ],
    });
  }
}
