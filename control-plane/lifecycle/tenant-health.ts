import type { Logger } from '../../core/logging/logger';
import type { AuditSink } from '../../tenant-runtime/audit-sink';
import type { PlatformDatabase } from '../db/platform-database';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { TenantRecord } from '../tenants/tenant-record';
import { applyTransition } from './apply-transition';
import { findTenantTransition } from './tenant-transitions';

/** One log line per tenant and window, however many requests or runs meet the same damage. */
export const DAMAGE_LOG_WINDOW_MS = 60_000;

/**
 * Where damaged tenant files are reported (the router on open, the fleet migration, the
 * doctor). A live tenant is marked `damaged` with the reason, in the platform's and the
 * tenant's audit trail; the change feed closes its handle. Log lines are throttled per tenant.
 */
export class TenantHealth {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly deps: { db: PlatformDatabase; tenants: TenantRepository; audit: AuditSink; logger: Logger },
    private readonly now: () => number = Date.now,
  ) {}

  /** Marks the tenant damaged (when it is live) and logs it; returns the tenant as it now is. */
  reportDamaged(tenantId: string, reason: string, source: string): TenantRecord | undefined {
    const tenant = this.deps.tenants.findById(tenantId);
    if (!tenant) return undefined;
    let current = tenant;
    if (findTenantTransition('mark-damaged', tenant.status)) {
      try {
        current = applyTransition(this.deps, tenantId, 'mark-damaged', { actorUserId: null, by: 'system', failure: `${reason} (found by ${source})` });
      } catch (err) {
        // Another process changed it first (archived, marked damaged): its status stands.
        this.deps.logger.debug({ err, tenantId }, 'tenant status changed while reporting damage');
        current = this.deps.tenants.findById(tenantId) ?? tenant;
      }
    }
    this.log(current, `tenant file damaged: ${reason}`, { source });
    return current;
  }

  /** A member asked for a damaged tenant: logged at most once per tenant and window. */
  noteRequested(tenant: TenantRecord): void {
    this.log(tenant, 'damaged tenant requested by a member', {});
  }

  private log(tenant: TenantRecord, message: string, extra: Record<string, unknown>): void {
    const now = this.now();
    const last = this.lastLogged.get(tenant.id);
    // A line logged "ahead" of now is the clock set back since: the window is over, not an hour longer.
    if (last !== undefined && now >= last && now - last < DAMAGE_LOG_WINDOW_MS) return;
    this.lastLogged.set(tenant.id, now);
    if (this.lastLogged.size > 10_000) this.lastLogged.delete(this.lastLogged.keys().next().value as string);
    this.deps.logger.warn({ tenantId: tenant.id, slug: tenant.slug, status: tenant.status, reason: tenant.failure_reason, ...extra }, message);
  }
}
