import type { RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane/control-plane';
import { NearLimitBoard } from '../control-plane/usage/near-limit-board';
import { isLimitKey, LIMITS } from '../tenant-runtime/plan-catalogue';
import type { TenantRequestContext } from '../tenant-runtime/tenant-request-context';

/**
 * Runs tenant entry, then gives the workspace pages of owners and admins (whoever may change
 * the settings) the limits at 80% or more, for the banner in the header. Read from a small
 * cached board (control-plane/usage/near-limit-board.ts), never a query per request.
 */
export function withUsageBanner(entry: RequestHandler, platform: Pick<ControlPlane, 'db'>): RequestHandler {
  const board = new NearLimitBoard(platform.db);
  return (req, res, next) => {
    entry(req, res, (err?: unknown) => {
      if (err) return next(err);
      const ctx = res.locals.ctx as TenantRequestContext | undefined;
      if (ctx?.can('tenant.settings.edit')) {
        const near = board.of(ctx.tenant.id);
        if (near.length) res.locals.usageAlerts = near.map((n) => ({ ...n, label: isLimitKey(n.key) ? LIMITS[n.key].label : n.key }));
      }
      next();
    });
  };
}
