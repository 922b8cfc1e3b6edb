import { useLanguage } from '../core/i18n/page-language';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { NotFoundError, UnauthenticatedError } from '../core/errors/app-errors';
import { clientOf } from '../core/http/client-of';
import { answersJson } from '../core/http/answers-json';
import type { SessionUser } from '../core/http/request-types';
import type { TenantResolver } from './path-tenant-resolver';
import type { Lease, ConnectionRouter } from './connection-router';
import { accessRefused, type AuditSink } from './audit-sink';
import type { TenantUrls } from './tenant-urls';
import { buildTenantContext, type BrandingSource, type MemberGrant, type TenantRef, type TenantRequestContext } from './tenant-request-context';

/**
 * What the tenant runtime asks the control plane, injected so that tenancy never imports it:
 * which tenant a slug names, and what a user may do there (undefined: nothing, say 404). The
 * request is given so the gate can tell who really acts (req.realUser while a super admin
 * impersonates the user) and grant accordingly.
 */
export interface MembershipGate {
  tenantBySlug(slug: string): TenantRef | undefined;
  grant(user: SessionUser, tenant: TenantRef, req: Request): MemberGrant | undefined;
  /**
   * For a member of a tenant that is briefly offline (its data being restored or imported): the
   * 503 to answer with (it carries Retry-After). undefined: not offline, or not a member (404).
   * The request tells a token's request from a session's, like for grant.
   */
  offline?(user: SessionUser, tenant: TenantRef, req: Request): Error | undefined;
}

export interface TenantEntryDeps {
  resolve: TenantResolver;
  gate: MembershipGate;
  router: ConnectionRouter;
  audit: AuditSink;
  urls: TenantUrls;
  branding: BrandingSource;
}

/**
 * Resolves the tenant, proves membership, and only then leases the tenant's database from
 * the router (released when the response is done) and builds the request's context. Unknown
 * tenant, non-member and a tenant closed to the user all produce the same 404. No
 * control-plane query on the hot path: the gate answers from its cache, and an open handle is
 * leased synchronously (the router is waited for only when every handle is in use).
 */
export function tenantAccess(deps: TenantEntryDeps): RequestHandler {
  const enter = (
    req: Request,
    res: Response,
    next: NextFunction,
    user: SessionUser,
    tenant: TenantRef,
    grant: MemberGrant,
    onSubdomain: boolean,
    lease: Lease,
  ): void => {
    // 'close' follows 'finish' on every response, and comes alone when the client goes away;
    // it is emitted once, and release() may be called more than once anyway.
    res.on('close', lease.release);
    req.tenantId = tenant.id;
    const ctx = buildTenantContext({
      tenant,
      grant,
      user,
      realUser: req.realUser,
      apiTokenId: req.apiToken?.tokenId,
      client: clientOf(req),
      db: lease.db,
      base: deps.urls.basePath(tenant.slug, onSubdomain),
      audit: deps.audit,
      branding: deps.branding,
    });
    setTenantContext(res, ctx);
    next();
  };

  return (req, res, next) => {
    const user = req.user;
    if (!user) {
      // Signing in is asked before anything is looked up, so this answer leaks nothing.
      if (answersJson(res)) return next(new UnauthenticatedError());
      if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      return next(new NotFoundError());
    }
    const resolved = deps.resolve(req);
    const tenant = resolved ? deps.gate.tenantBySlug(resolved.slug) : undefined;
    const offline = tenant ? deps.gate.offline?.(user, tenant, req) : undefined;
    if (offline) return next(offline);
    const grant = tenant ? deps.gate.grant(user, tenant, req) : undefined;
    if (!resolved || !tenant || !grant) {
      deps.audit.record(accessRefused(req, { tenantId: tenant?.id ?? null, reason: 'not-found' }));
      return next(new NotFoundError());
    }
    const lease = deps.router.tryAcquire(tenant.id);
    if (lease) return enter(req, res, next, user, tenant, grant, resolved.onSubdomain, lease);
    deps.router
      .acquire(tenant.id)
      .then((waited) => {
        // The client may have gone while this request waited for a handle.
        if (res.destroyed) return waited.release();
        enter(req, res, next, user, tenant, grant, resolved.onSubdomain, waited);
      })
      .catch(next);
  };
}

/** The request's context and the locals every tenant view reads (links, permissions, branding). */
export function setTenantContext(res: Response, ctx: TenantRequestContext): void {
  res.locals.ctx = ctx;
  res.locals.currentTenant = ctx.tenant;
  res.locals.url = ctx.url;
  res.locals.can = ctx.can;
  useLanguage(res, () => ctx.language);
}

/** The context tenantAccess built for this response; a route without one is a wiring bug. */
export function tenantContextOf(res: Response): TenantRequestContext {
  const ctx = res.locals.ctx as TenantRequestContext | undefined;
  if (!ctx) throw new Error('tenant route reached without tenant entry');
  return ctx;
}
