import { msg } from '../../core/i18n/message';
import { zonedClock } from '../../core/time/zoned-clock';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { DeletionRequestRepository } from '../deletion-requests/deletion-request-repository';
import { DELETION_TEXT_MAX } from '../deletion-requests/deletion-request-schemas';

/** The workspace's deletion request page: the pending request (who asked, when, why), or the form to ask. */
export function loadDeletionRequestPage(platform: ControlPlane, ctx: TenantRequestContext) {
  const request = new DeletionRequestRepository(platform.db).find(ctx.tenant.id);
  return {
    title: msg('Delete the workspace'),
    slug: ctx.tenant.slug,
    workspaceName: ctx.branding.displayName,
    request: request
      ? { askedBy: request.requester_name, askedAt: zonedClock(ctx.branding.timeZone).format(request.requested_at), reason: request.reason }
      : null,
    reasonMax: DELETION_TEXT_MAX,
  };
}
