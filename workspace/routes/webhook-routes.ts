import { SecretBox } from '../../core/crypto/secret-box';
import type { PageLoader, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { WebhookRepository, type EndpointRow } from '../webhooks/webhook-repository';
import { createEndpoint, deleteEndpoint, disableEndpoint, endpointOf, loggableUrl, redeliver, rotateSecret, updateEndpoint } from '../webhooks/manage-webhooks';
import { loadWebhookPage, loadWebhooksPage } from '../pages/webhooks-page';
import { flash } from '../../core/http/flash';
import { msg } from '../../core/i18n/message';
import { showOnce, takeShownOnce } from '../../core/http/shown-once';
import { pausePoint } from '../../core/process/pause-point';

interface NewSecret {
  id: string;
  secret: string;
  url: string;
}

/** Outgoing webhooks of the workspace (webhooks.manage): endpoints, their secrets, the delivery log (docs/decisions/025-webhooks.md). */
export function webhookRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'config' | 'webhookHints' | 'recentDeletions'>): void {
  const box = new SecretBox(services.config.secretsKey);
  const policy = { allowPrivate: services.config.webhooksAllowPrivate };
  const audit = (ctx: TenantRequestContext, action: string, endpoint: Pick<EndpointRow, 'id' | 'url'>, after: Record<string, unknown> = {}) =>
    ctx.audit({ action, targetType: 'webhook', targetId: endpoint.id, after: { url: loggableUrl(endpoint.url), ...after } });
  const back = (ctx: TenantRequestContext, id: string) => ctx.url(`/webhooks/${id}`);

  table.get('/webhooks', 'webhooks.manage', (ctx, req, res) => {
    const created = takeShownOnce<NewSecret>(req, 'webhook-secret', ctx.tenant.id);
    if (created) res.set('Cache-Control', 'no-store');
    res.render('tenant/webhooks', { ...loadWebhooksPage(ctx, created), values: {}, errors: {} });
  });

  table.post('/webhooks', { permission: 'webhooks.manage', form: { view: 'tenant/webhooks', load: (ctx) => loadWebhooksPage(ctx) } }, async (ctx, req, res) => {
    const created = await createEndpoint(ctx.db, box, policy, req.body, ctx.actor.userId);
    // The same form sent twice at once (a double click) adds one endpoint, recorded once.
    if (created.added) audit(ctx, 'webhook.create', created, { events: created.events });
    // The secret is shown once, on the page this redirects to.
    showOnce(req, 'webhook-secret', ctx.tenant.id, { id: created.id, secret: created.secret, url: created.url } satisfies NewSecret);
    res.redirect(303, ctx.url('/webhooks'));
  });

  table.get('/webhooks/:id', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    const rotated = takeShownOnce<string>(req, 'webhook-secret', `${ctx.tenant.id}:${endpoint.id}`);
    if (rotated) res.set('Cache-Control', 'no-store');
    res.render('tenant/webhook', { ...loadWebhookPage(ctx, endpoint, rotated), values: {}, errors: {} });
  });

  /** A refused form of an endpoint's page (bad input, a delivery already waiting) shows that page again with the reason. */
  const endpointPage = { view: 'tenant/webhook', load: ((ctx, req) => loadWebhookPage(ctx, endpointOf(ctx.db, req.params.id))) satisfies PageLoader };

  table.post('/webhooks/:id', { permission: 'webhooks.manage', form: endpointPage }, async (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    const changed = await updateEndpoint(ctx.db, policy, endpoint, req.body);
    audit(ctx, 'webhook.update', { id: endpoint.id, url: changed.url }, { events: changed.events, before: loggableUrl(endpoint.url) });
    flash(req, msg('The endpoint was saved.'));
    res.redirect(303, back(ctx, endpoint.id));
  });

  table.post('/webhooks/:id/disable', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    disableEndpoint(ctx.db, endpoint, ctx.actor.name);
    audit(ctx, 'webhook.disable', endpoint);
    flash(req, msg('The endpoint was disabled: nothing is sent to it, and its deliveries wait.'));
    res.redirect(303, back(ctx, endpoint.id));
  });

  table.post('/webhooks/:id/enable', 'webhooks.manage', (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    // Its deliveries kept waiting while it was disabled: they are due now. The hint is written before
    // the commit (an early one costs a visit; one lost to a kill after the commit would leave them waiting).
    ctx.db.write(() => {
      new WebhookRepository(ctx.db).setEnabled(endpoint.id, true, null);
      services.webhookHints.noteDue(ctx.tenant.id, Date.now());
    });
    pausePoint('webhooks:enabled');
    audit(ctx, 'webhook.enable', endpoint);
    flash(req, msg('The endpoint was enabled: the deliveries that waited go out now.'));
    res.redirect(303, back(ctx, endpoint.id));
  });

  // The old secret stops signing at once: the receiver refuses every delivery until it holds the new one.
  table.post(
    '/webhooks/:id/rotate-secret',
    {
      permission: 'webhooks.manage',
      confirm: (ctx, req) => ({
        title: msg('Rotate the signing secret of {{url}}?', { url: loggableUrl(endpointOf(ctx.db, req.params.id).url) }),
        message: msg('The old secret stops signing at once: the receiver refuses the deliveries until it is given the new one, shown on the next page.'),
        confirmLabel: msg('Rotate the secret'),
        cancelHref: back(ctx, String(req.params.id)),
      }),
    },
    (ctx, req, res) => {
      const endpoint = endpointOf(ctx.db, req.params.id);
      const secret = rotateSecret(ctx.db, box, endpoint);
      audit(ctx, 'webhook.rotate_secret', endpoint);
      showOnce(req, 'webhook-secret', `${ctx.tenant.id}:${endpoint.id}`, secret);
      res.redirect(303, back(ctx, endpoint.id));
    },
  );

  table.post(
    '/webhooks/:id/delete',
    {
      permission: 'webhooks.manage',
      confirm: (ctx, req) => ({
        title: msg('Delete the endpoint {{url}}?', { url: loggableUrl(endpointOf(ctx.db, req.params.id).url) }),
        message: msg('Nothing more is sent to it, and its pending deliveries and delivery log are deleted with it.'),
        confirmLabel: msg('Delete the endpoint'),
        cancelHref: back(ctx, String(req.params.id)),
      }),
    },
    (ctx, req, res) => {
      // The same deletion sent again (a double click) is answered as the first one was.
      const { url } = deleteEndpoint(ctx, services, String(req.params.id));
      flash(req, msg('The endpoint {{url}} and its delivery log were deleted.', { url }));
      res.redirect(303, ctx.url('/webhooks'));
    },
  );

  table.post('/webhooks/:id/deliveries/:deliveryId/redeliver', { permission: 'webhooks.manage', form: endpointPage }, (ctx, req, res) => {
    const endpoint = endpointOf(ctx.db, req.params.id);
    // The hint before the commit, as for enable.
    const delivery = ctx.db.write(() => {
      const queued = redeliver(ctx.db, endpoint, req.params.deliveryId);
      services.webhookHints.noteDue(ctx.tenant.id, Date.now());
      return queued;
    });
    pausePoint('webhooks:redelivery-queued');
    audit(ctx, 'webhook.redeliver', endpoint, { delivery: delivery.id, event: delivery.event_type });
    flash(req, msg('The delivery {{id}} goes out again.', { id: delivery.id }));
    res.redirect(303, back(ctx, endpoint.id));
  });
}
