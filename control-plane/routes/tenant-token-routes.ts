import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { createServiceToken } from '../api-tokens/create-api-token';
import { revokeTenantToken } from '../api-tokens/revoke-api-token';
import { loadTenantTokensPage } from '../pages/token-pages';

/** A workspace's API tokens (api_tokens.manage): its service tokens, and its members' tokens limited to it, to revoke. */
export function tenantTokenRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  table.get('/tokens', 'api_tokens.manage', (ctx, req, res) => {
    res.render('tenant/tokens', {
      ...loadTenantTokensPage(platform, ctx),
      notice: req.query.done === 'revoked' ? 'The token was revoked.' : undefined,
      values: {},
      errors: {},
    });
  });

  table.post(
    '/tokens',
    { permission: 'api_tokens.manage', form: { view: 'tenant/tokens', load: (ctx) => loadTenantTokensPage(platform, ctx) } },
    (ctx, req, res) => {
      const created = createServiceToken(platform, ctx.actor, req.body);
      res.set('Cache-Control', 'no-store');
      res.status(201).render('tenant/tokens', { ...loadTenantTokensPage(platform, ctx, created), values: {}, errors: {} });
    },
  );

  table.post('/tokens/:id/revoke', 'api_tokens.manage', (ctx, req, res) => {
    revokeTenantToken(platform, ctx.actor, req.params.id);
    res.redirect(303, ctx.url('/tokens?done=revoked'));
  });
}
