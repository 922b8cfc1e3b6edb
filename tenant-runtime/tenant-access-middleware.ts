import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Platform } from '../app/create-platform';
import { NotFoundError } from '../core/errors/app-errors';
import type { SessionUser } from '../control-plane/users/user-record';
import { pathTenantResolver, type TenantResolver } from './path-tenant-resolver';
import { accessibleTenant, type AccessibleTenant } from '../control-plane/tenants/accessible-tenant';
import type { Lease } from './connection-router';
import { tenantContextOf } from './tenant-context';

/**
 * Resolves the tenant, proves membership, and only then leases the tenant's database from
 * the router (released when the response is done). Unknown tenant, non-member and suspended
 * tenant all produce the same 404. No control-plane query on the hot path: the access
 * cache answers slug and membership look-ups, and an open handle is leased synchronously
 * (the router is waited for only when every handle is in use).
 */
export function tenantAccess(platform: Platform, resolve: TenantResolver = pathTenantResolver): RequestHandler {
  const enter = (req: Request, res: Response, next: NextFunction, user: SessionUser, access: AccessibleTenant, lease: Lease): void => {
    // 'close' follows 'finish' on every response, and comes alone when the client goes away;
    // it is emitted once, and release() may be called more than once anyway.
    res.on('close', lease.release);
    const { tenant } = access;
    req.tenantId = tenant.id;
    req.tenant = tenantContextOf(access, lease.db);
    res.locals.currentTenant = req.tenant;
    if (req.session.lastTenantId === tenant.id) return next();
    req.session.lastTenantId = tenant.id;
    platform.users.update(user.id, { last_tenant_id: tenant.id }).then(() => next(), next);
  };

  return (req, res, next) => {
    const user = req.user;
    if (!user) {
      // Signing in is asked before anything is looked up, so this answer leaks nothing.
      if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      return next(new NotFoundError());
    }
    const slug = resolve(req);
    const tenant = slug ? platform.access.tenantBySlug(slug) : undefined;
    const access = accessibleTenant(platform, user, tenant);
    if (!access) {
      platform.audit.record({ action: 'access.refused', actorUserId: user.id, tenantId: tenant?.id ?? null, targetType: 'path', targetId: req.originalUrl.slice(0, 64), ip: req.ip, userAgent: req.get('user-agent') });
      return next(new NotFoundError());
    }
    const lease = platform.router.tryAcquire(access.tenant.id);
    if (lease) return enter(req, res, next, user, access, lease);
    platform.router
      .acquire(access.tenant.id)
      .then((waited) => {
        // The client may have gone while this request waited for a handle.
        if (res.destroyed) return waited.release();
        enter(req, res, next, user, access, waited);
      })
      .catch(next);
  };
}

declare module 'express-session' {
  interface SessionData {
    lastTenantId?: string;
  }
}
