import { msg } from '../../core/i18n/message';
import { flash } from '../../core/http/flash';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { requestDeletion, withdrawDeletionRequest } from '../deletion-requests/request-deletion';
import { loadDeletionRequestPage } from '../pages/deletion-request-page';

/**
 * An owner asks for the workspace to be deleted, or withdraws the request (tenant.delete.request,
 * withheld while impersonating; decision 056). The request is the workspace's own: no id is read
 * from the URL or the form, so no other workspace's request can be named.
 */
export function deletionRequestRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  const page = (ctx: Parameters<typeof loadDeletionRequestPage>[1]) => loadDeletionRequestPage(platform, ctx);

  table.get('/settings/deletion-request', 'tenant.delete.request', (ctx, _req, res) => {
    res.render('tenant/deletion-request', { ...page(ctx), values: {}, errors: {} });
  });

  table.post(
    '/settings/deletion-request',
    { permission: 'tenant.delete.request', form: { view: 'tenant/deletion-request', load: (ctx) => page(ctx) } },
    (ctx, req, res) => {
      const { repeated } = requestDeletion(platform, ctx.actor, req.body);
      flash(req, repeated ? msg('The deletion of this workspace was asked for already.') : msg('The deletion of this workspace was asked for.'));
      res.redirect(303, ctx.url('/settings/deletion-request'));
    },
  );

  table.post('/settings/deletion-request/withdraw', 'tenant.delete.request', (ctx, req, res) => {
    withdrawDeletionRequest(platform, ctx.actor);
    flash(req, msg('The request to delete this workspace was withdrawn.'));
    res.redirect(303, ctx.url('/settings/deletion-request'));
  });
}
