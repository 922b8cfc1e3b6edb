import { PeriodicPass } from '../../core/jobs/periodic-pass';
import { visitInTurn } from '../../core/jobs/event-loop-turn';
import { DEFAULT_MAIL_POLICY, sendDueMails, type MailPolicy, type MailServices, type MailVisit } from './send-due-mails';

export interface MailDispatcherOptions {
  intervalMs?: number;
  /** Tenants visited per tick at most. */
  batchSize?: number;
  policy?: Partial<MailPolicy>;
  now?: () => number;
}

/**
 * The background loop that sends workflow mails a step's own send did not (the server failed, the
 * process stopped), like the webhook dispatcher: each tick reads the control plane's per-tenant
 * hints (mail_schedule) and visits only tenants with a mail due, one at a time. The queue is the
 * tenants' own rows, so a restart picks up where the last process stopped.
 */
export class MailDispatcher extends PeriodicPass<MailVisit[]> {
  private readonly policy: MailPolicy;

  constructor(
    private readonly services: MailServices,
    private readonly options: MailDispatcherOptions = {},
  ) {
    super(options.intervalMs ?? 5_000);
    this.policy = { ...DEFAULT_MAIL_POLICY, ...options.policy };
  }

  protected async pass(): Promise<MailVisit[]> {
    const now = (this.options.now ?? Date.now)();
    return visitInTurn(
      this.services.mailHints.due(now, this.options.batchSize ?? 100),
      (tenantId) => sendDueMails(this.services, tenantId, this.policy, now),
      (err, tenantId) => this.services.logger.warn({ err, tenantId }, 'workflow mails failed for a tenant'),
    );
  }
}
