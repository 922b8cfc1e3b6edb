import type { RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { AccessGrantRepository } from './access-grant-repository';

/**
 * A super admin with open break-glass grants sees them on every page, each with its end time
 * and a button to end it (views/partials/access-banner.ejs). One indexed query, for super
 * admins only; nobody else pays for it.
 */
export function breakGlassBanner(platform: ControlPlane): RequestHandler {
  const grants = new AccessGrantRepository(platform.db);
  return (req, res, next) => {
    if (req.user?.isSuperAdmin && !req.realUser) {
      const open = grants.listActiveOfUser(req.user.id);
      if (open.length) res.locals.breakGlassGrants = open;
    }
    next();
  };
}
