import { Router, type Request, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import { accessibleTenant, type AccessibleTenant } from '../tenants/accessible-tenant';
import { switchBodySchema, switchTenant } from '../tenants/switch-tenant';
import { onlyKnownFields } from '../../core/http/parse-input';
import { presentContext, presentUserTenant } from '../presenters/context-presenter';
import { landingTenant } from './landing-path';
import type { SessionUser } from '../users/user-record';

/** The API answers 401 JSON instead of redirecting to the sign-in page; answers are per user, never cached. */
const requireApiUser: RequestHandler = (req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next(req.user ? undefined : new UnauthenticatedError());
};

function userOf(req: Request): SessionUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

/**
 * Session-authenticated JSON for scripts in the pages: who am I, where am I, switch.
 * POSTs need the CSRF token in `x-csrf-token`; `GET /context` hands it out in that header.
 */
export function contextApiRoutes(platform: ControlPlane): Router {
  const router = Router();
  // On its own routes only: an address under /api/v1 that nobody serves is a 404, not a sign-in prompt.

  /**
   * The session's current tenant, while the user may still open it. Before any switch in this
   * session, the one its sign-in landed in (default, last used, or the only one): the page the
   * user was taken to is where they are.
   */
  const currentOf = (req: Request): AccessibleTenant | undefined => {
    const user = userOf(req);
    const id = req.session.lastTenantId ?? landingTenant(platform, user)?.tenant_id;
    return id ? accessibleTenant(platform.access, user, platform.tenants.findById(id)) : undefined;
  };
  const contextOf = (req: Request) => {
    const current = currentOf(req);
    return presentContext(userOf(req), current, current?.permissions ?? new Set());
  };

  router.get('/context', requireApiUser, (req, res) => {
    res.set('x-csrf-token', res.csrfToken());
    res.json(contextOf(req));
  });

  router.get('/tenants', requireApiUser, (req, res) => {
    const user = userOf(req);
    const defaultId = platform.users.findById(user.id)?.default_tenant_id;
    const currentId = currentOf(req)?.tenant.id;
    res.json({ tenants: platform.access.tenantsOfUser(user.id).map((row) => presentUserTenant(row, currentId, defaultId)) });
  });

  router.post('/context/switch', requireApiUser, (req, res) => {
    switchTenant(platform, req, onlyKnownFields(switchBodySchema, req.body));
    res.json(contextOf(req));
  });

  return router;
}
