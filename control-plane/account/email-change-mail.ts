import type { Language } from '../../core/i18n/languages';
import { translatorFor } from '../../core/i18n/translator';
import type { ControlPlane } from '../control-plane';

export interface EmailChangeMail {
  userId: string;
  oldEmail: string;
  newEmail: string;
  /** The link that confirms the change (a secret: never logged). */
  url: string;
  hours: number;
  language: Language;
}

/**
 * Tells the account's current address that a change was asked for, and how to stop it: a new
 * password spends the link and signs every other session out. It carries no link that changes
 * anything. Throws when the mail cannot be sent.
 */
export async function mailEmailChangeNotice(platform: ControlPlane, mail: EmailChangeMail): Promise<void> {
  const t = translatorFor(mail.language);
  const values = { old: mail.oldEmail, new: mail.newEmail, hours: mail.hours };
  await platform.mailer.send({
    to: mail.oldEmail,
    subject: t('A change of your email address was asked for'),
    about: { kind: 'email-change-notice', userId: mail.userId },
    text: [
      t('Someone signed in to your account asked to change its email address from {{old}} to {{new}}.', values),
      t('Nothing changes unless the link mailed to {{new}} is followed within {{hours}} hours.', values),
      '',
      t('If this was you, there is nothing to do here.'),
      t('If it was not you, change your password now at {{url}}: that cancels the change and signs out every other session.', {
        url: `${platform.config.baseUrl}/account`,
      }),
      t('If you cannot sign in, reset your password at {{url}}.', { url: `${platform.config.baseUrl}/password/forgot` }),
    ].join('\n'),
  });
}

/** Mails the link that confirms the change to the new address. Throws when the mail cannot be sent. */
export async function mailEmailChangeLink(platform: ControlPlane, mail: EmailChangeMail): Promise<void> {
  const t = translatorFor(mail.language);
  const values = { old: mail.oldEmail, new: mail.newEmail, hours: mail.hours, url: mail.url };
  const sent = await platform.mailer.send({
    to: mail.newEmail,
    subject: t('Confirm your new email address'),
    about: { kind: 'email-change', userId: mail.userId },
    text: [
      t('Someone (hopefully you) asked to use {{new}} as the email address of the account now at {{old}}.', values),
      '',
      t('Confirm the new address: {{url}}', values),
      '',
      t('The link works once and for {{hours}} hours. If you did not ask for this, ignore this message: nothing changes.', values),
    ].join('\n'),
  });
  // The link changes the account's address: the log names the outbox file that holds it, never the link nor the address.
  if (sent.outboxFile)
    platform.logger.info({ kind: 'email-change', userId: mail.userId, file: sent.outboxFile }, 'email change mail written to the outbox (no SMTP configured)');
}
