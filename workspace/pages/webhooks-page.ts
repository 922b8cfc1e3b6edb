import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { msg, unpack, verbatim } from '../../core/i18n/message';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events';
import { WebhookRepository, type EndpointRow } from '../webhooks/webhook-repository';
import { viewHelpersFor } from './view-helpers';

/** A delivery's state, and the word the log shows for it. */
const DELIVERY_STATES: Record<string, string> = { pending: msg('pending'), delivered: msg('delivered'), failed: msg('failed') };

/**
 * Why an endpoint was disabled, as a message. Rows disabled before reasons were kept as messages
 * hold their English sentence: the two the product wrote are read back into messages.
 */
export function disabledReasonOf(stored: string | null): string | null {
  if (stored === null || unpack(stored).params) return stored;
  const after = /^Disabled after (\d+) deliveries failed in a row$/.exec(stored);
  if (after) return msg('Disabled after {{count}} deliveries failed in a row', { count: Number(after[1]) });
  const by = /^Disabled by (.+)$/.exec(stored);
  if (by) return msg('Disabled by {{name}}', { name: by[1] });
  return verbatim(stored);
}

function eventsOf(row: EndpointRow): string[] {
  try {
    return JSON.parse(row.events) as string[];
  } catch {
    return [];
  }
}

/** The tenant's endpoints and the form to add one; `created` carries a new secret, shown once. */
export function loadWebhooksPage(ctx: TenantRequestContext, created?: { id: string; secret: string; url: string }) {
  const endpoints = new WebhookRepository(ctx.db)
    .listEndpoints()
    .map((e) => ({ ...e, disabled_reason: disabledReasonOf(e.disabled_reason), eventList: eventsOf(e) }));
  return { ...viewHelpersFor(ctx), title: msg('Webhooks'), endpoints, events: WEBHOOK_EVENTS, created };
}

/** One endpoint with its delivery log (latest 50, each with its attempts and response codes). */
export function loadWebhookPage(ctx: TenantRequestContext, endpoint: EndpointRow, secret?: string) {
  const repo = new WebhookRepository(ctx.db);
  const deliveries = repo.deliveriesOf(endpoint.id);
  const attempts = repo.attemptsOf(deliveries.map((d) => d.id));
  return {
    ...viewHelpersFor(ctx),
    title: msg('Webhook {{host}}', { host: new URL(endpoint.url).host }),
    endpoint: { ...endpoint, disabled_reason: disabledReasonOf(endpoint.disabled_reason), eventList: eventsOf(endpoint) },
    deliveries: deliveries.map((d) => ({ ...d, stateLabel: DELIVERY_STATES[d.state] ?? d.state, attempts_log: attempts.get(d.id) ?? [] })),
    secret,
    events: WEBHOOK_EVENTS,
    current: { url: endpoint.url, description: endpoint.description, events: eventsOf(endpoint) },
  };
}
