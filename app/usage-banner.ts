import type { PageLocals } from '../core/http/page-locals';
import type { ControlPlane } from '../control-plane/control-plane';
import { NearLimitBoard } from '../control-plane/usage/near-limit-board';
import { isLimitKey, LIMITS } from '../tenant-runtime/plan-catalogue';
import { percent } from '../core/i18n/message';
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
    // The share goes into the text as a percent value: the page's language writes it with its sign (85%, 85 %).
    if (near.length) res.locals.usageAlerts = near.map((n) => ({ ...n, share: percent(n.percent), label: isLimitKey(n.key) ? LIMITS[n.key].label : n.key }));
  };
}
