import { loadTenantSettings } from '../settings/tenant-settings';
import { DEFAULT_LANGUAGE, type Language } from '../../core/i18n/languages';
import { SecretKeyMismatchError, SecretTamperedError, type SecretBox } from '../../core/crypto/secret-box';
import { msg } from '../../core/i18n/message';
import { OutboundRefused, postTo, resolveOutbound, type OutboundPolicy } from '../../core/net/outbound-request';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { WorkspaceServices } from '../workspace-services';
import { WebhookRepository, type DeliveryRow, type EndpointRow } from './webhook-repository';
import { signatureHeaders } from './webhook-signature';

export interface DeliveryPolicy extends OutboundPolicy {
  timeoutMs: number;
  /** Attempts per delivery before it is marked failed. */
  maxAttempts: number;
  /** Wait after the first failed attempt; each further one waits 3 times longer, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failed deliveries in a row (no 2xx between) after which the endpoint is disabled and its owners mailed. */
  disableAfter: number;
  /** Deliveries sent per tenant visit. */
  batch: number;
}

export const DEFAULT_DELIVERY_POLICY: Omit<DeliveryPolicy, 'allowPrivate'> = {
  timeoutMs: 10_000,
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3600_000,
  disableAfter: 5,
  batch: 50,
};

/** 30 s, 1.5 min, 4.5 min, ... up to 6 h between attempts: about 9 hours over 8 attempts. */
export function retryDelay(policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>, failedAttempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 3 ** Math.max(0, failedAttempts - 1));
}

interface Outcome {
  status: number | null;
  error: string | null;
  durationMs: number;
}

async function attempt(endpoint: EndpointRow, secret: string, delivery: DeliveryRow, policy: DeliveryPolicy, now: number): Promise<Outcome> {
  const started = Date.now();
  try {
    const target = await resolveOutbound(endpoint.url, policy);
    const headers = signatureHeaders(secret, delivery.id, Math.floor(now / 1000), delivery.payload);
    const res = await postTo(target, headers, delivery.payload, policy.timeoutMs);
    return { status: res.status, error: res.status >= 200 && res.status < 300 ? null : `answered ${res.status}`, durationMs: res.durationMs };
  } catch (err) {
    const why = err instanceof OutboundRefused ? `refused: the URL ${err.message}` : (err as Error).message || 'connection failed';
    return { status: null, error: why.slice(0, 300), durationMs: Date.now() - started };
  }
}

/** Records an attempt and moves the delivery (and the endpoint's failure count) on, in one transaction. Returns true when the endpoint was disabled by it. */
function record(db: TenantDatabase, delivery: DeliveryRow, outcome: Outcome, policy: DeliveryPolicy, now: number): boolean {
  return db.write(() => {
    // The endpoint (and its deliveries) may have been deleted while the request was out.
    if (!db.get('select 1 as found from webhook_deliveries where id = ?', [delivery.id])) return false;
    db.run('insert into webhook_attempts (delivery_id, attempted_at, status, error, duration_ms) values (?, ?, ?, ?, ?)', [
      delivery.id,
      now,
      outcome.status,
      outcome.error,
      outcome.durationMs,
    ]);
    const attempts = delivery.attempts + 1;
    if (outcome.error === null) {
      db.run(
        "update webhook_deliveries set state = 'delivered', attempts = ?, last_status = ?, last_error = null, next_attempt_at = null, finished_at = ? where id = ?",
        [attempts, outcome.status, now, delivery.id],
      );
      db.run('update webhook_endpoints set failed_deliveries = 0 where id = ?', [delivery.endpoint_id]);
      return false;
    }
    if (attempts < policy.maxAttempts) {
      db.run('update webhook_deliveries set attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? where id = ?', [
        attempts,
        outcome.status,
        outcome.error,
        now + retryDelay(policy, attempts),
        delivery.id,
      ]);
      return false;
    }
    db.run(
      "update webhook_deliveries set state = 'failed', attempts = ?, last_status = ?, last_error = ?, next_attempt_at = null, finished_at = ? where id = ?",
      [attempts, outcome.status, outcome.error, now, delivery.id],
    );
    db.run('update webhook_endpoints set failed_deliveries = failed_deliveries + 1 where id = ?', [delivery.endpoint_id]);
    const failing = db.get<{ failed_deliveries: number; enabled: number }>('select failed_deliveries, enabled from webhook_endpoints where id = ?', [
      delivery.endpoint_id,
    ]);
    return Boolean(failing?.enabled && failing.failed_deliveries >= policy.disableAfter);
  });
}

export type DeliveryOutcome =
  | { tenantId: string; skipped: 'not-active' }
  /** `workspace`: the name and language the workspace's mail about the visit goes out in. */
  | { tenantId: string; attempted: number; delivered: number; disabled: EndpointRow[]; workspace: { name: string; language: Language } };

/**
 * One visit to one tenant: re-reads its status (a suspended tenant keeps its hint), leases its
 * handle, sends its due deliveries (each attempt recorded at once, so a restart loses at most the
 * attempt under way, which is then sent again), disables endpoints that kept failing, and moves
 * the tenant's hint to its next due delivery.
 */
export async function deliverDue(
  services: Pick<WorkspaceServices, 'tenants' | 'router' | 'webhookHints' | 'logger'>,
  box: SecretBox,
  tenantId: string,
  policy: DeliveryPolicy,
  now = Date.now(),
): Promise<DeliveryOutcome> {
  const tenant = services.tenants.findById(tenantId);
  if (!tenant || tenant.status !== 'active') return { tenantId, skipped: 'not-active' };
  const lease = await services.router.acquire(tenantId);
  try {
    const db = lease.db;
    const repo = new WebhookRepository(db);
    const endpoints = new Map<string, { row: EndpointRow; secret: string } | undefined>();
    const disabled: EndpointRow[] = [];
    // An endpoint that just failed is not tried again in this visit: a receiver that is down
    // costs one time-out per visit, not one per waiting delivery (the others stay due). Its
    // deliveries are then left out of the next page, so its backlog never takes the places of
    // the other endpoints' deliveries (each page attempts one delivery at least, or passes over
    // one endpoint more: the visit ends).
    const passedOver = new Set<string>();
    let delivered = 0;
    let attempted = 0;
    // A tenant suspended, archived or taken offline while this visit sends stops sending: its
    // status is read again before each attempt (another process may have changed it), and what
    // is left waits, its hint kept, as if the visit had started a moment later.
    let stillActive = true;
    for (
      let page = repo.due(now, policy.batch);
      page.length;
      page = stillActive && attempted < policy.batch ? repo.due(now, policy.batch - attempted, passedOver) : []
    ) {
      for (const delivery of page) {
        if (passedOver.has(delivery.endpoint_id)) continue;
        if (services.tenants.findById(tenantId)?.status !== 'active') {
          stillActive = false;
          break;
        }
        if (!endpoints.has(delivery.endpoint_id)) {
          const row = repo.findEndpoint(delivery.endpoint_id);
          const secret = row ? readableSecret(repo, box, row.id) : undefined;
          if (row && secret === undefined) {
            // Sealed under another key (an import from another deployment): this endpoint waits for a new secret, the others go on.
            repo.setEnabled(row.id, false, msg("Disabled: its signing secret cannot be read with this deployment's key. Rotate the secret, then enable it"));
            services.logger.warn({ tenantId, endpoint: new URL(row.url).origin }, 'webhook endpoint disabled: its signing secret cannot be read');
          }
          endpoints.set(delivery.endpoint_id, row && secret !== undefined ? { row, secret } : undefined);
        }
        const endpoint = endpoints.get(delivery.endpoint_id);
        if (!endpoint || !endpoint.row.enabled) {
          passedOver.add(delivery.endpoint_id);
          continue;
        }
        const at = Date.now();
        const outcome = await attempt(endpoint.row, endpoint.secret, delivery, policy, at);
        attempted++;
        if (outcome.error === null) delivered++;
        else passedOver.add(delivery.endpoint_id);
        if (record(db, delivery, outcome, policy, at)) {
          repo.setEnabled(endpoint.row.id, false, msg('Disabled after {{count}} deliveries failed in a row', { count: policy.disableAfter }));
          endpoint.row.enabled = 0;
          disabled.push(endpoint.row);
        }
      }
    }
    // No await between reading the next time and writing the hint (see publish-due-items.ts).
    services.webhookHints.replace(tenantId, repo.nextDue());
    // No longer active (a handle this visit waited for may have been opened after the change): closed once released.
    if (!stillActive) services.router.closeTenant(tenantId);
    const settings = disabled.length ? loadTenantSettings(db, tenant.name) : { displayName: tenant.name, language: DEFAULT_LANGUAGE };
    return { tenantId, attempted, delivered, disabled, workspace: { name: settings.displayName, language: settings.language } };
  } finally {
    lease.release();
  }
}

/** The endpoint's signing secret, or undefined when this deployment's key cannot open it. */
function readableSecret(repo: WebhookRepository, box: SecretBox, id: string): string | undefined {
  try {
    return repo.secretOf(box, id) ?? '';
  } catch (err) {
    if (err instanceof SecretKeyMismatchError || err instanceof SecretTamperedError) return undefined;
    throw err;
  }
}
