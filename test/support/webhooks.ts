import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { SecretBox } from '../../core/crypto/secret-box';
import { createEndpoint } from '../../workspace/webhooks/manage-webhooks';
import type { WebhookEventType } from '../../workspace/webhooks/webhook-events';
import { inTenant } from './content';
import { WebhookRepository } from '../../workspace/webhooks/webhook-repository';
import { newWebhookSecret } from '../../workspace/webhooks/webhook-signature';

/** An endpoint of the tenant, made by the same command as the page (the platform's policy applies); returns its id and secret. */
export async function addEndpoint(platform: Platform, tenant: TenantRecord, url: string, events: WebhookEventType[]) {
  const lease = await platform.router.acquire(tenant.id);
  try {
    return await createEndpoint(
      lease.db,
      new SecretBox(platform.config.secretsKey),
      { allowPrivate: platform.config.webhooksAllowPrivate },
      { url, events },
      null,
    );
  } finally {
    lease.release();
  }
}

/** Every delivery of the tenant with its attempts, oldest first. */
export async function deliveriesOf(platform: Platform, tenant: TenantRecord) {
  return inTenant(platform, tenant, (db) =>
    db.all<{
      id: string;
      endpoint_id: string;
      event_type: string;
      state: string;
      attempts: number;
      next_attempt_at: number | null;
      last_status: number | null;
      payload: string;
    }>('select id, endpoint_id, event_type, state, attempts, next_attempt_at, last_status, payload from webhook_deliveries order by created_at, id'),
  );
}

export async function attemptsOf(platform: Platform, tenant: TenantRecord) {
  return inTenant(platform, tenant, (db) =>
    db.all<{ delivery_id: string; status: number | null; error: string | null }>('select delivery_id, status, error from webhook_attempts order by id'),
  );
}

/** An endpoint written straight into the tenant's file (no address check: its address is never called), subscribed to every item step. */
export async function plantEndpoint(platform: Platform, tenant: TenantRecord, url: string): Promise<string> {
  return inTenant(platform, tenant, (db) =>
    db.write(() =>
      new WebhookRepository(db).insertEndpoint(new SecretBox(platform.config.secretsKey), {
        url,
        description: '',
        events: ['item.submitted', 'item.approved', 'item.published'],
        secret: newWebhookSecret(),
        createdBy: null,
      }),
    ),
  );
}

/** Each endpoint of the tenant: its address, whether it is enabled, and why not. */
export async function endpointStates(platform: Platform, tenant: TenantRecord) {
  return inTenant(platform, tenant, (db) =>
    db.all<{ url: string; enabled: number; disabled_reason: string | null }>(
      'select url, enabled, disabled_reason from webhook_endpoints order by created_at, id',
    ),
  );
}
