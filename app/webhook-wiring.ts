import type { ControlPlane as Platform } from '../control-plane/control-plane';
import { queueEvent } from '../workspace/webhooks/webhook-outbox';

/**
 * Control-plane events (a member joined or was removed, an invitation accepted) reach the tenant's
 * webhooks here: after the control plane's commit, the tenant's handle is leased and a delivery
 * queued for each subscribed endpoint, then the dispatcher's hint is moved. Neither side imports
 * the other. Queued in the background: the command's answer never waits for it.
 */
export function forwardTenantEvents(platform: Platform): void {
  platform.tenantEvents.subscribe((tenantId, event) => {
    const at = Date.now();
    platform.background.run('webhook event', async () => {
      const tenant = platform.tenants.findById(tenantId);
      if (!tenant || (tenant.status !== 'active' && tenant.status !== 'suspended')) return;
      const lease = await platform.router.acquire(tenantId);
      try {
        const queued = lease.db.write(() => queueEvent(lease.db, event.type, event.data, at));
        if (queued) platform.webhookHints.noteDue(tenantId, at);
      } finally {
        lease.release();
      }
    });
  });
}
