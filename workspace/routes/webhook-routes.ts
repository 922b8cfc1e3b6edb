import { SecretBox } from '../../core/crypto/secret-box';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { WebhookRepository, type EndpointRow } from '../webhooks/webhook-repository';
import { createEndpoint, endpointOf, loggableUrl, redeliver, rotateSecret, updateEndpoint } from '../webhooks/manage-webhooks';
import { loadWebhookPage, loadWebhooksPage } from '../pages/webhooks-page';

/** Outgoing webhooks of the workspace (webhooks.manage): endpoints, their secrets, the delivery log (docs/decisions/025-webhooks.md). */
export function webhookRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'config' | 'webhookHints'>): void {
  const box = new SecretBox(services.config.secretsKey);
  const policy = { allowPrivate: services.config.webhooksAllowPrivate };
  const audit = (ctx: TenantRequestContext, action: string, endpoint: Pick<EndpointRow, 'id' | 'url'>, after: Record<string, unknown> = {}) =>
    ctx.audit({ action, targetType: 'webhook', targetId: endpoint.id, after: { url: loggableUrl(endpoint.url), ...after } });
  const back = (ctx: TenantRequestContext, id: string) => ctx.url(`/webhooks/${id}`);

  table.get('/webhooks', 'webhooks.manage', (ctx, _req, res) => {
    res.render('tenant/webhooks', { ...loadWebhooksPage(ctx), values: {}, errors: {} });
  });

  table.post('/webhooks', { permission: 'webhooks.manage', form: { view: 'tenant/webhooks', load: (ctx) => loadWebhooksPage(ctx) } }, async (ctx, req, res) => {
    const created = await createEndpoint(ctx.db, box, policy, req.body, ctx.actor.userId);
    audit(ctx, 'webhook.create', created, { events: created.events });
    res.set('Cache-Control', 'no-store');
    res.status(201).render('tenant/webhooks', { ...loadWebhooksPage(ctx, created), values: {}, errors: {} });
  });

  table.get('/webhooks/:id', 'webhooks.manage', (ctx, req, res) => {
    res.render('tenant/webhook', loadWebhookPage(ctx, endpointOf(ctx.db, req.params.id)));
  });

  table.post(
    '/webhooks/:id',
    { permission: 'webhooks.manage', form: { view: 'tenant/webhook', load: (ctx, req) => loadWebhookPage(ctx, endpointOf(ctx.db, req.params.id)) } },
    async (ctx, req, res) => {
      const endpoint = endpointOf(ctx.db, req.params.id);
      const changed = await updateEndpoint(ctx.db, policy, endpoint, req.body);
      audit(ctx, 'webhook.update', { id: endpoint.id, url: changed.url }, { events: changed.events, before: loggableUrl(endpoint.url) });
      res.redirect(303, back(ctx, endpoint.id));
    },
  );

  table.post('/webhooks/:id/disable', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    ctx.db.write(() => new WebhookRepository(ctx.db).setEnabled(endpoint.id, false, `Disabled by ${ctx.actor.name}`));
    audit(ctx, 'webhook.disable', endpoint);
    res.redirect(303, back(ctx, endpoint.id));
  });

  table.post('/webhooks/:id/enable', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    ctx.db.write(() => new WebhookRepository(ctx.db).setEnabled(endpoint.id, true, null));
    // Its deliveries kept waiting while it was disabled: they are due now.
    services.webhookHints.noteDue(ctx.tenant.id, Date.now());
    audit(ctx, 'webhook.enable', endpoint);
    res.redirect(303, back(ctx, endpoint.id));
  });

  table.post('/webhooks/:id/rotate-secret', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    const secret = rotateSecret(ctx.db, box, endpoint);
    audit(ctx, 'webhook.rotate_secret', endpoint);
    res.set('Cache-Control', 'no-store');
    res.render('tenant/webhook', loadWebhookPage(ctx, endpoint, secret));
  });

  table.post('/webhooks/:id/delete', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    ctx.db.write(() => new WebhookRepository(ctx.db).deleteEndpoint(endpoint.id));
    audit(ctx, 'webhook.delete', endpoint);
    res.redirect(303, ctx.url('/webhooks'));
  });

  table.post('/webhooks/:id/deliveries/:deliveryId/redeliver', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    const delivery = redeliver(ctx.db, endpoint, req.params.deliveryId);
    services.webhookHints.noteDue(ctx.tenant.id, Date.now());
    audit(ctx, 'webhook.redeliver', endpoint, { delivery: delivery.id, event: delivery.event_type });
    res.redirect(303, back(ctx, endpoint.id));
  });
}
