import { DATE_LOCALES, DEFAULT_LANGUAGE, type Language } from '../../core/i18n/languages';
import { dateTimeFormat } from '../../core/time/date-formats';
import { currentZoneName } from '../../core/time/zone-names';
import type { NestedText } from '../../core/i18n/message';
import { translatorFor } from '../../core/i18n/translator';
import type { ControlPlane } from '../control-plane';
import { toSessionUser } from '../users/user-record';
import { roleNameValue } from '../roles/predefined-roles';
import { shownName } from '../tenants/shown-name';
import type { TenantRecord } from '../tenants/tenant-record';
import type { WorkspaceLocale } from '../../core/i18n/workspace-locale';

export interface InvitationMail {
  email: string;
  url: string;
  expiresAt: number;
  tenantName: string;
  /** A custom role's name, or a predefined role's (translated). */
  roleName: string | NestedText;
  inviterName: string;
  /** The workspace's language, or the invitee's own if they have an account with one. */
  language: Language;
  /** The workspace's time zone: the expiry is written in it, and names it. */
  timeZone: string;
  /** What the log names the mail by (never its address or link). */
  tenantId?: string;
  invitationId?: string;
}

/** The moment a link expires, in the workspace's zone and the reader's language, the zone named as the pages name it ("4 December 2026 at 17:42 (America/Los_Angeles)"). */
export function expiryText(expiresAt: number, language: Language, timeZone: string): string {
  return `${dateTimeFormat(DATE_LOCALES[language], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(expiresAt)} (${currentZoneName(timeZone)})`;
}

/**
 * Mails an invitation link. A failure is logged, not thrown: the link is also shown once on
 * the page, so the inviter can pass it on by hand. Without SMTP the log names the outbox file
 * the message was written to, for a self-hoster who reads the server's output.
 */
export async function sendInvitationMail(platform: ControlPlane, mail: InvitationMail): Promise<boolean> {
  const language = languageOfAccount(platform, mail.email) ?? mail.language;
  const expires = expiryText(mail.expiresAt, language, mail.timeZone);
  const t = translatorFor(language);
  const values = { inviter: mail.inviterName || t('Someone'), workspace: mail.tenantName, role: mail.roleName, url: mail.url, expires };
  const about = { kind: 'invitation', tenantId: mail.tenantId, invitationId: mail.invitationId };
  try {
    const sent = await platform.mailer.send({
      to: mail.email,
      // White-label: the workspace's name, as subject and sender; the product's name is not mentioned.
      subject: t('{{inviter}} invited you to {{workspace}}', values),
      fromName: mail.tenantName,
      about,
      text: [
        t('{{inviter}} invited you to join {{workspace}} as {{role}}.', values),
        '',
        t('Accept the invitation: {{url}}', values),
        '',
        t('The link works once and expires on {{expires}}. If you did not expect it, ignore this message.', values),
      ].join('\n'),
    });
    // The link is a secret (it lets whoever holds it join): the log names the outbox file that holds it, never the link nor the address.
    if (sent.outboxFile) platform.logger.info({ ...about, file: sent.outboxFile }, 'invitation mail written to the outbox (no SMTP configured)');
    return true;
  } catch (err) {
    platform.logger.error({ err, ...about }, 'invitation mail could not be sent');
    return false;
  }
}

/**
 * Mails an owner invitation made by the platform's operators (the console, the CLI, a provisioning
 * finished after a crash). White-label like every workspace mail: the workspace's shown name, the
 * role's translated name, and the operator's own name or none ("Someone"), never the product's.
 * The control plane keeps no copy of the workspace's language and zone: they are read from its
 * file (or the invitee's own language wins); a file that cannot be read (damaged, missing) fails
 * no invitation, which then goes in the default language with UTC, named.
 */
export async function sendOwnerInvitationMail(
  platform: ControlPlane,
  tenant: Pick<TenantRecord, 'id' | 'name' | 'display_name'>,
  invitation: { email: string; url: string; expiresAt: number },
  inviterName = '',
): Promise<boolean> {
  const workspace = await owningWorkspace(platform, tenant.id);
  return sendInvitationMail(platform, {
    tenantId: tenant.id,
    email: invitation.email,
    url: invitation.url,
    expiresAt: invitation.expiresAt,
    tenantName: shownName(tenant),
    roleName: roleNameValue('owner', 'Owner'),
    inviterName,
    ...workspace,
  });
}

/** The workspace's language and zone for an owner invitation, or the defaults when its file cannot be read. */
async function owningWorkspace(platform: ControlPlane, tenantId: string): Promise<WorkspaceLocale> {
  const fallback: WorkspaceLocale = { language: DEFAULT_LANGUAGE, timeZone: 'UTC' };
  if (!platform.workspaceMailSettings) return fallback;
  try {
    return await platform.workspaceMailSettings(tenantId);
  } catch (err) {
    platform.logger.warn({ err, tenantId }, "the workspace's language could not be read for an owner invitation; it goes in the default language");
    return fallback;
  }
}

/** The language an existing account chose for itself, if any. */
function languageOfAccount(platform: ControlPlane, email: string): Language | undefined {
  const user = platform.users.findByEmail(email);
  return user ? (toSessionUser(user).language ?? undefined) : undefined;
}
