import { z } from 'zod';
import type { SecretBox } from '../../core/crypto/secret-box';
import { NotFoundError, ValidationError, ConflictError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { msg } from '../../core/i18n/message';
import { OutboundRefused, resolveOutbound, type OutboundPolicy } from '../../core/net/outbound-request';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { isWebhookEvent, WEBHOOK_EVENT_TYPES } from './webhook-events';
import { DISABLED_REASON_MAX, WebhookRepository, type DeliveryRow, type EndpointRow } from './webhook-repository';
import { isDoubleSubmit } from '../../core/http/double-submit';
import { newWebhookSecret } from './webhook-signature';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { deletedJustNow } from '../repeated-deletion';

export const ENDPOINTS_PER_TENANT = 20;

export const endpointSchema = z.object({
  url: z
    .string({ error: msg('is required') })
    .trim()
    .min(1, { error: msg('is required') })
    .max(2000, { error: msg('must be at most 2000 characters') }),
  description: z
    .string()
    .trim()
    .max(200, { error: msg('must be at most 200 characters') })
    .default(''),
  events: z
    .union([z.string(), z.array(z.string())], { error: msg('is required: choose at least one event') })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(
      z
        .array(z.string().refine(isWebhookEvent, { error: msg('must be among {{events}}', { events: WEBHOOK_EVENT_TYPES.join(', ') }) }))
        .min(1, { error: msg('is required: choose at least one event') }),
    ),
});

/** The URL without its query string or fragment, for audit records (a query may hold a receiver's token). */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '';
  }
}

/**
 * Adds an endpoint. The URL must be http(s) and its host must resolve to public addresses only
 * (unless the deployment allows private ones): refused with a 400 on `url` otherwise. It is checked
 * again, resolved afresh, before every delivery. Returns the signing secret, shown this once.
 */
async function checkedUrl(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await resolveOutbound(url, policy);
  } catch (err) {
    if (err instanceof OutboundRefused) throw ValidationError.single('url', err.text);
    throw err;
  }
}

/** Changes an endpoint's URL, description and events (the URL checked as when it was added); its secret and log stay. */
export async function updateEndpoint(db: TenantDatabase, policy: OutboundPolicy, endpoint: EndpointRow, input: unknown) {
  const parsed = parseInput(endpointSchema, input);
  await checkedUrl(parsed.url, policy);
  // Deleted while its URL was being checked: nothing was saved.
  if (!db.write(() => new WebhookRepository(db).updateEndpoint(endpoint.id, parsed))) throw new NotFoundError();
  return parsed;
}

/**
 * Adds the endpoint, unless the same person added the same one (URL, description and events)
 * within DOUBLE_SUBMIT_MS (a double click): that one is answered again, with its secret, and `added` is false.
 */
export async function createEndpoint(db: TenantDatabase, box: SecretBox, policy: OutboundPolicy, input: unknown, createdBy: string | null) {
  const parsed = parseInput(endpointSchema, input);
  await checkedUrl(parsed.url, policy);
  const repo = new WebhookRepository(db);
  const events = JSON.stringify(parsed.events);
  const { id, secret, added } = db.write(() => {
    const newest = createdBy === null ? undefined : repo.newestEndpointBy(createdBy);
    if (newest && newest.url === parsed.url && newest.description === parsed.description && newest.events === events && isDoubleSubmit(newest.created_at))
      return { id: newest.id, secret: repo.secretOf(box, newest.id) ?? '', added: false };
    if (repo.listEndpoints().length >= ENDPOINTS_PER_TENANT)
      throw new ConflictError(msg('A workspace may have at most {{count}} webhook endpoints.', { count: ENDPOINTS_PER_TENANT }));
    const made = newWebhookSecret();
    return {
      id: repo.insertEndpoint(box, { url: parsed.url, description: parsed.description, events: parsed.events, secret: made, createdBy }),
      secret: made,
      added: true,
    };
  });
  return { id, secret, url: parsed.url, events: parsed.events, added };
}

export function endpointOf(db: TenantDatabase, id: unknown): EndpointRow {
  const row = typeof id === 'string' ? new WebhookRepository(db).findEndpoint(id) : undefined;
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Deletes an endpoint with its deliveries; its audit record is written with the deletion's commit
 * (afterCommit, in the same turn). The same deletion sent again by the same member moments after,
 * or at once, finds that record (repeated-deletion.ts) and is answered as the first one was (the
 * endpoint's address), writing nothing: the second click of a double click is not a 404 about the
 * first one's effect. Another member, another workspace's endpoint, or long after: 404.
 */
export function deleteEndpoint(ctx: TenantRequestContext, services: Pick<WorkspaceServices, 'recentDeletions'>, id: string): { url: string } {
  const repo = new WebhookRepository(ctx.db);
  return ctx.db.write(() => {
    const endpoint = repo.findEndpoint(id);
    if (!endpoint) {
      const before = deletedJustNow(services, ctx, { action: 'webhook.delete', targetType: 'webhook', targetId: id });
      if (typeof before?.url === 'string') return { url: before.url };
      throw new NotFoundError();
    }
    repo.deleteEndpoint(endpoint.id);
    const url = loggableUrl(endpoint.url);
    ctx.audit({ action: 'webhook.delete', targetType: 'webhook', targetId: endpoint.id, before: { url } });
    return { url };
  });
}

/** A new signing secret (the old one stops at once); shown this once. */
export function rotateSecret(db: TenantDatabase, box: SecretBox, endpoint: EndpointRow): string {
  const secret = newWebhookSecret();
  db.write(() => new WebhookRepository(db).replaceSecret(box, endpoint.id, secret));
  return secret;
}

/**
 * Why an endpoint was disabled by hand: the member's name, cut (with "…") as far as needed for
 * the message, its values written as JSON, to fit its column: a name may be 200 characters itself.
 */
export function disabledByReason(name: string): string {
  const chars = [...name];
  let reason = msg('Disabled by {{name}}', { name });
  for (let keep = Math.min(chars.length - 1, DISABLED_REASON_MAX); [...reason].length > DISABLED_REASON_MAX && keep > 0; keep--)
    reason = msg('Disabled by {{name}}', { name: `${chars.slice(0, keep).join('')}…` });
  return reason;
}

/** Disables an endpoint by hand: nothing is sent to it, its deliveries wait. */
export function disableEndpoint(db: TenantDatabase, endpoint: EndpointRow, byName: string): void {
  db.write(() => new WebhookRepository(db).setEnabled(endpoint.id, false, disabledByReason(byName)));
}

/** A delivery of this endpoint (another endpoint's or tenant's id is not found), queued again now. */
export function redeliver(db: TenantDatabase, endpoint: EndpointRow, deliveryId: unknown, now = Date.now()): DeliveryRow {
  const repo = new WebhookRepository(db);
  const delivery = typeof deliveryId === 'string' ? repo.findDelivery(deliveryId) : undefined;
  if (!delivery || delivery.endpoint_id !== endpoint.id) throw new NotFoundError();
  if (!db.write(() => repo.redeliver(delivery.id, now))) throw new ConflictError(msg('This delivery is already waiting to be sent.'));
  return delivery;
}
