import { DEFAULT_LANGUAGE, isLanguage } from '../../core/i18n/languages';
import { translatorFor } from '../../core/i18n/translator';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { shownName } from '../tenants/shown-name';

/**
 * Tells every active super admin that a workspace asks to be deleted, with a link to its page in
 * the console (in English, as the console is). A failed send is logged by ids, never by address.
 */
export async function mailSuperAdminsOfRequest(platform: ControlPlane, tenant: TenantRecord, asked: { by: string; reason: string | null }): Promise<number> {
  const link = `${platform.config.baseUrl}/admin/tenants/${encodeURIComponent(tenant.slug)}`;
  let sent = 0;
  for (const admin of platform.users.listActiveSuperAdmins()) {
    try {
      await platform.mailer.send({
        to: admin.email,
        subject: `${tenant.name} (${tenant.slug}) asks to be deleted`,
        text: [
          `${asked.by}, an owner of ${tenant.name} (${tenant.slug}), asks for the workspace to be deleted.`,
          asked.reason ? `Their reason: ${asked.reason}` : 'They gave no reason.',
          `Archive it, or decline the request with a note, on its page: ${link}`,
          'The workspace keeps working until then.',
        ].join('\n\n'),
        about: { kind: 'deletion-request', tenantId: tenant.id, userId: admin.id },
      });
      sent++;
    } catch (err) {
      platform.logger.warn({ err, tenantId: tenant.id, userId: admin.id }, 'mail of a deletion request to a super admin failed');
    }
  }
  return sent;
}

/** Tells the owner who asked that their request was declined, and why, in their language (else the workspace's). */
export async function mailRequesterOfDecline(platform: ControlPlane, tenant: TenantRecord, requesterId: string, note: string): Promise<boolean> {
  const requester = platform.users.findById(requesterId);
  if (!requester || requester.status !== 'active') return false;
  const workspace = await platform.workspaceMailSettings?.(tenant.id).catch(() => undefined);
  const t = translatorFor(isLanguage(requester.language) ? requester.language : (workspace?.language ?? DEFAULT_LANGUAGE));
  const name = shownName(tenant);
  try {
    await platform.mailer.send({
      to: requester.email,
      subject: t('Your request to delete {{workspace}} was declined', { workspace: name }),
      text: `${[
        t('The platform’s administrators declined your request to delete {{workspace}}. The workspace stays as it is.', { workspace: name }),
        t('Their note: {{note}}', { note }),
      ].join('\n\n')}\n`,
      fromName: name,
      about: { kind: 'deletion-declined', tenantId: tenant.id, userId: requester.id },
    });
    return true;
  } catch (err) {
    platform.logger.warn({ err, tenantId: tenant.id, userId: requester.id }, 'mail of a declined deletion request failed');
    return false;
  }
}
