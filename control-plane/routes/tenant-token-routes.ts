import type { PageLoader, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { flash } from '../../core/http/flash';
import { backToList, returnQuery } from '../../core/http/local-path';
import { msg } from '../../core/i18n/message';
import { showOnce, takeShownOnce } from '../../core/http/shown-once';
import type { ControlPlane } from '../control-plane';
import { createServiceToken, type CreatedToken } from '../api-tokens/create-api-token';
import { revokeTenantToken, tenantTokenToRevoke } from '../api-tokens/revoke-api-token';
import { loadTenantTokensPage } from '../pages/token-pages';

/** A workspace's API tokens (api_tokens.manage): its service tokens, and its members' tokens limited to it, to revoke. */
export function tenantTokenRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  table.get('/tokens', { permission: 'api_tokens.manage', feature: 'api' }, (ctx, req, res) => {
    const created = takeShownOnce<CreatedToken>(req, 'api-token', ctx.tenant.id);
    if (created) res.set('Cache-Control', 'no-store');
    res.render('tenant/tokens', { ...loadTenantTokensPage(platform, ctx, created, req.query), values: {}, errors: {} });
  });

  /** A refused form shows the page it was sent from again: the list's page it names in `return` (of this workspace's list only), else its first. */
  const tokensPage = {
    view: 'tenant/tokens',
    load: ((ctx, req) => loadTenantTokensPage(platform, ctx, undefined, returnQuery(req.body?.return, ctx.url('/tokens')))) satisfies PageLoader,
  };

  // Shown once, on the page this redirects to.
  table.post('/tokens', { permission: 'api_tokens.manage', feature: 'api', form: tokensPage }, (ctx, req, res) => {
    const created = createServiceToken(platform, ctx.actor, req.body);
    // The same form sent twice at once (a double click) makes one token, shown by the request that made it.
    if (created) showOnce(req, 'api-token', ctx.tenant.id, created);
    res.redirect(303, ctx.url('/tokens'));
  });

  table.post(
    '/tokens/:id/revoke',
    {
      permission: 'api_tokens.manage',
      feature: 'api',
      form: tokensPage,
      // A token that is not there to revoke is refused at once, not after the question.
      confirm: (ctx, req) => {
        tenantTokenToRevoke(platform, ctx.tenant.id, req.params.id);
        return {
          title: msg('Revoke this token?'),
          message: msg('Whatever uses it stops working at once. A revoked token cannot be used again.'),
          confirmLabel: msg('Revoke the token'),
          cancelHref: backToList(req.body?.return, ctx.url('/tokens')),
        };
      },
    },
    (ctx, req, res) => {
      const revoked = revokeTenantToken(platform, ctx.actor, req.params.id);
      flash(req, msg('The token {{name}} ({{hint}}) was revoked.', { name: revoked.name, hint: revoked.hint }));
      // Back to the page of the list it was revoked on.
      res.redirect(303, backToList(req.body?.return, ctx.url('/tokens')));
    },
  );
}
