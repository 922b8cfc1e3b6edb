import type { TenantDatabase } from '../../tenant-runtime/tenant-database';

export interface SubscribedEndpoint {
  id: string;
  events: ReadonlySet<string>;
}

/**
 * The enabled endpoints of an open tenant handle and what each subscribed to, read once and kept
 * with the handle (like branding): a workflow move in a tenant without webhooks costs no statement.
 * Only this process changes endpoints (their routes and the dispatcher), and each change calls
 * forgetEndpoints; a handle closed and opened again starts afresh.
 */
const cache = new WeakMap<TenantDatabase, SubscribedEndpoint[]>();

export function subscribedEndpoints(db: TenantDatabase): SubscribedEndpoint[] {
  let hit = cache.get(db);
  if (!hit) {
    hit = db
      .all<{ id: string; events: string }>('select id, events from webhook_endpoints where enabled = 1')
      .map((row) => ({ id: row.id, events: parseEvents(row.events) }));
    cache.set(db, hit);
  }
  return hit;
}

export function forgetEndpoints(db: TenantDatabase): void {
  cache.delete(db);
}

function parseEvents(json: string): Set<string> {
  try {
    const list = JSON.parse(json) as unknown;
    return new Set(Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : []);
  } catch {
    return new Set();
  }
}
