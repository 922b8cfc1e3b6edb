import type { PageLocals } from '../core/http/page-locals';
import type { ControlPlane } from '../control-plane/control-plane';
import { NearLimitBoard } from '../control-plane/usage/near-limit-board';
import { isLimitKey, LIMITS } from '../tenant-runtime/plan-catalogue';
import type { TenantRequestContext } from '../tenant-runtime/tenant-request-context';

/**
 * Gives the workspace pages of owners and admins (whoever may change the settings) the limits
 * at 80% or more, for the banner in the header, when a page renders. Read from a small cached
 * board (control-plane/usage/near-limit-board.ts), never a query per request.
 */
export function usageBanner(platform: Pick<ControlPlane, 'db'>): PageLocals {
  const board = new NearLimitBoard(platform.db);
  return (_req, res) => {
    const ctx = res.locals.ctx as TenantRequestContext | undefined;
    if (!ctx?.can('tenant.settings.edit')) return;
    const near = board.of(ctx.tenant.id);
    if (near.length) res.locals.usageAlerts = near.map((n) => ({ ...n, label: isLimitKey(n.key) ? LIMITS[n.key].label : n.key }));
  };
}
