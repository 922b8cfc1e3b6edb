import { translatorFor } from '../../core/i18n/translator';
import { isLanguage, type Language } from '../../core/i18n/languages';
import type { Logger } from '../../core/logging/logger';
import type { Mailer } from '../../core/mail/mailer';
import type { MembershipRepository } from '../memberships/membership-repository';
import type { TenantRepository } from './tenant-repository';
import { shownName } from './shown-name';

/**
 * Mail to a tenant's owners whose account is active (a webhook endpoint disabled after failing, say); a failed send is logged, never thrown.
 * White-label: the sender's name is the workspace's shown name, never the product's.
 */
export class OwnerMail {
  constructor(
    private readonly tenants: Pick<TenantRepository, 'findById'>,
    private readonly memberships: MembershipRepository,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
  ) {}

  /** `mail` holds messages (msg()), written in each owner's language: their own, else the workspace's. */
  async notifyOwners(tenantId: string, workspaceLanguage: Language, mail: { subject: string; lines: string[] }): Promise<number> {
    const owners = this.memberships.listReachable(tenantId).filter((m) => m.role_key === 'owner' && m.role_is_predefined);
    const tenant = this.tenants.findById(tenantId);
    const fromName = tenant ? shownName(tenant) : undefined;
    let sent = 0;
    for (const owner of owners) {
      const t = translatorFor(isLanguage(owner.language) ? owner.language : workspaceLanguage);
      try {
        const about = { kind: 'owner-notice', tenantId, userId: owner.user_id };
        await this.mailer.send({ to: owner.email, subject: t(mail.subject), text: `${mail.lines.map((line) => t(line)).join('\n\n')}\n`, fromName, about });
        sent++;
      } catch (err) {
        this.logger.warn({ err, tenantId, userId: owner.user_id }, 'mail to an owner failed');
      }
    }
    return sent;
  }
}
