import type { Logger } from '../../core/logging/logger';
import type { Mailer } from '../../core/mail/mailer';
import type { MembershipRepository } from '../memberships/membership-repository';

/** Mail to a tenant's owners (a webhook endpoint disabled after failing, say); a failed send is logged, never thrown. */
export class OwnerMail {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
  ) {}

  async notifyOwners(tenantId: string, subject: string, text: string): Promise<number> {
    const owners = this.memberships.listMembers(tenantId).filter((m) => m.role_key === 'owner' && m.role_is_predefined);
    let sent = 0;
    for (const owner of owners) {
      try {
        await this.mailer.send({ to: owner.email, subject, text });
        sent++;
      } catch (err) {
        this.logger.warn({ err, tenantId }, 'mail to an owner failed');
      }
    }
    return sent;
  }
}
