import type { ControlPlane as Platform } from '../control-plane/control-plane';
import { queueEvent } from '../workspace/webhooks/webhook-outbox';
import { pausePoint } from '../core/process/pause-point';
import { eventsWaitWhile } from '../control-plane/events/tenant-events';

/**
 * Control-plane events (a member joined or was removed, an invitation accepted) reach the tenant's
 * webhooks here: after the control plane's commit (which kept the event in its outbox), the
 * tenant's handle is leased and a delivery queued for each subscribed endpoint with the
 * dispatcher's hint, then the event leaves the outbox. Neither side imports the other. Queued in
 * the background: the command's answer never waits for it. A process killed before the event left
 * the outbox hands it on at its next start; its deliveries, named after the event, are queued once.
 * A tenant in maintenance (a restore) or damaged keeps its events in the outbox until it is back:
 * the transition that brings it back hands them on as it commits (the lifecycle timer, should the
 * process stop in between).
 */
export function forwardTenantEvents(platform: Platform): void {
  platform.tenantEvents.subscribe((tenantId, event, sent) => {
    platform.background.run('webhook event', async () => {
      pausePoint('tenant-event:committed');
      const tenant = platform.tenants.findById(tenantId);
      // Back later with its file: the event waits in the outbox (handOnWaitedFor, handOnLeft), neither queued in a file being swapped or repaired nor dropped.
      if (tenant && eventsWaitWhile(tenant.status)) return;
      if (tenant && (tenant.status === 'active' || tenant.status === 'suspended')) {
        const lease = await platform.router.acquire(tenantId);
        try {
          lease.db.write(() => {
            // The hint before the commit: an early one costs a visit, a lost one would leave the deliveries waiting.
            if (queueEvent(lease.db, event.type, event.data, sent.at, sent.id)) platform.webhookHints.noteDue(tenantId, sent.at);
          });
        } finally {
          lease.release();
        }
      }
      pausePoint('tenant-event:queued');
      // Queued, or a tenant that takes none (gone, archived): as before, an archived tenant's webhooks never hear of it.
      platform.tenantEvents.forwarded(sent.id);
    });
  });
}
