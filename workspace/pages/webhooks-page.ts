import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events';
import { WebhookRepository, type EndpointRow } from '../webhooks/webhook-repository';
import { viewHelpersFor } from './view-helpers';

function eventsOf(row: EndpointRow): string[] {
  try {
    return JSON.parse(row.events) as string[];
  } catch {
    return [];
  }
}

/** The tenant's endpoints and the form to add one; `created` carries a new secret, shown once. */
export function loadWebhooksPage(ctx: TenantRequestContext, created?: { id: string; secret: string; url: string }) {
  const endpoints = new WebhookRepository(ctx.db).listEndpoints().map((e) => ({ ...e, eventList: eventsOf(e) }));
  return { ...viewHelpersFor(ctx), title: 'Webhooks', endpoints, events: WEBHOOK_EVENTS, created };
}

/** One endpoint with its delivery log (latest 50, each with its attempts and response codes). */
export function loadWebhookPage(ctx: TenantRequestContext, endpoint: EndpointRow, secret?: string) {
  const repo = new WebhookRepository(ctx.db);
  const deliveries = repo.deliveriesOf(endpoint.id);
  const attempts = repo.attemptsOf(deliveries.map((d) => d.id));
  return {
    ...viewHelpersFor(ctx),
    title: `Webhook ${new URL(endpoint.url).host}`,
    endpoint: { ...endpoint, eventList: eventsOf(endpoint) },
    deliveries: deliveries.map((d) => ({ ...d, attempts_log: attempts.get(d.id) ?? [] })),
    secret,
    events: WEBHOOK_EVENTS,
    current: { url: endpoint.url, description: endpoint.description, events: eventsOf(endpoint) },
  };
}
