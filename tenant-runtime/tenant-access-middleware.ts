import type { RequestHandler } from 'express';
import type { Platform } from '../control-plane/platform';
import { NotFoundError } from '../control-plane/errors/app-errors';
import { pathTenantResolver, type TenantResolver } from './path-tenant-resolver';
import { accessibleTenant } from '../control-plane/tenants/accessible-tenant';

/**
 * Resolves the tenant, proves membership, and only then leases the tenant's database from
 * the router (released when the response ends). Unknown tenant, non-member and suspended
 * tenant all produce the same 404. No control-plane query on the hot path: the access
 * cache answers slug and membership look-ups.
 */
export function tenantAccess(platform: Platform, resolve: TenantResolver = pathTenantResolver): RequestHandler {
  return async (req, res, next) => {
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
    const { tenant: found, membership } = access;
    const lease = await platform.router.acquire(access.tenant.id);
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        lease.release();
      }
    };
    res.once('finish', release);
    res.once('close', release);
    req.tenantId = found.id;
    req.tenant = {
      id: found.id,
      slug: found.slug,
      name: found.name,
      status: found.status,
      role: { key: membership.role_key, name: membership.role_name },
      permissions: platform.access.permissionsOf(membership),
      db: lease.db,
    };
    res.locals.currentTenant = req.tenant;
    if (req.session.lastTenantId !== found.id) {
      req.session.lastTenantId = found.id;
      await platform.users.update(user.id, { last_tenant_id: found.id });
    }
    next();
  };
}

declare module 'express-session' {
  interface SessionData {
    lastTenantId?: string;
  }
}
