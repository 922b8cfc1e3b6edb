import type { ControlPlane } from '../control-plane';

export interface InvitationMail {
  email: string;
  url: string;
  expiresAt: number;
  tenantName: string;
  roleName: string;
  inviterName: string;
}

/**
 * Mails an invitation link. A failure is logged, not thrown: the link is also shown once on
 * the page, so the inviter can pass it on by hand. Without SMTP the link is logged too, for
 * a self-hoster who reads the server's output rather than the outbox folder.
 */
export async function sendInvitationMail(platform: ControlPlane, mail: InvitationMail): Promise<boolean> {
  const expires = new Date(mail.expiresAt).toISOString().slice(0, 10);
  try {
    const sent = await platform.mailer.send({
      to: mail.email,
      // White-label: the workspace's name, as subject and sender; the product's name is not mentioned.
      subject: `${mail.inviterName} invited you to ${mail.tenantName}`,
      fromName: mail.tenantName,
      text: [
        `${mail.inviterName} invited you to join ${mail.tenantName} as ${mail.roleName}.`,
        '',
        `Accept the invitation: ${mail.url}`,
        '',
        `The link works once and expires on ${expires}. If you did not expect it, ignore this message.`,
      ].join('\n'),
    });
    if (sent.outboxFile) platform.logger.info({ to: mail.email, link: mail.url, file: sent.outboxFile }, 'invitation link (no SMTP configured)');
    return true;
  } catch (err) {
    platform.logger.error({ err, to: mail.email }, 'invitation mail could not be sent');
    return false;
  }
}
