import crypto from 'node:crypto';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { WebhookEventType } from './webhook-events';
import { subscribedEndpoints } from './endpoint-cache';

/** Standard Webhooks message ids: unique per delivery, stable across its retries (receivers de-duplicate on it). */
export function newMessageId(): string {
  return `msg_${crypto.randomBytes(12).toString('hex')}`;
}

/** The JSON body every endpoint receives for an event (Standard Webhooks: type, timestamp, data). */
export function eventPayload(type: WebhookEventType, tenant: { id: string; slug?: string }, data: unknown, at: number): string {
  return JSON.stringify({ type, timestamp: new Date(at).toISOString(), tenant, data });
}

/** The message id of an event kept elsewhere until queued (a control-plane event): the same each time it is queued. */
function messageIdOf(eventId: string, endpointId: string): string {
  return `msg_${crypto.createHash('sha256').update(`${eventId}:${endpointId}`).digest('hex').slice(0, 24)}`;
}

/**
 * Queues an event for every enabled endpoint that subscribed to it: one pending delivery each,
 * due now, in the tenant's own file. Call it inside the transaction that made the change, so the
 * change and its deliveries commit together. Returns how many deliveries were queued (the caller
 * then moves the tenant's hint in the control plane so the dispatcher visits it). An event with an
 * id of its own (one the control plane kept until it is queued here) names its deliveries after it:
 * queued again after a kill, it adds none.
 */
export function queueEvent(db: TenantDatabase, type: WebhookEventType, data: unknown, at = Date.now(), eventId?: string): number {
  const endpoints = subscribedEndpoints(db).filter((e) => e.events.has(type));
  if (!endpoints.length) return 0;
  const payload = eventPayload(type, { id: db.tenantId }, data, at);
  let queued = 0;
  for (const endpoint of endpoints)
    queued += db.run(
      "insert or ignore into webhook_deliveries (id, endpoint_id, event_type, payload, state, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, 'pending', 0, ?, ?)",
      [eventId ? messageIdOf(eventId, endpoint.id) : newMessageId(), endpoint.id, type, payload, at, at],
    ).changes;
  return queued;
}
